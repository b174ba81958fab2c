@echo off
rem wif4j command launcher for Windows in a checkout. Builds the command line on first run (a JDK
rem 17+ is all it needs: the Maven Wrapper fetches Maven), then runs it.   wif4j demo   wif4j doctor
rem Credential helpers (aws-credential-process, google-executable) never build: install the
rem distribution for them (docs/cli.md).
setlocal
set "DIR=%~dp0"
set "JAR=%DIR%cli\target\wif4j-cli.jar"
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
set "HELPER="
for %%a in (%*) do (
  if "%%~a"=="aws-credential-process" set "HELPER=aws"
  if "%%~a"=="google-executable" set "HELPER=google"
)
if not defined HELPER goto checkbuild
if exist "%JAR%" goto run
if "%HELPER%"=="google" (
  echo {"version":1,"success":false,"code":"NOT_BUILT","message":"wif4j is not built: run wif4j --help once, or install the distribution (docs/cli.md)"}
) else (
  echo wif4j is not built: run wif4j --help once, or install the distribution ^(docs/cli.md^) 1>&2
)
exit /b 1
:checkbuild
if not exist "%JAR%" goto build
if defined WIF4J_REBUILD goto build
goto run
:build
echo wif4j: building the command line (first run takes a minute)... 1>&2
pushd "%DIR%"
call mvnw.cmd -B -q -pl cli -am package -DskipTests -Dspotless.check.skip=true -Dcheckstyle.skip=true -Denforcer.skip=true 1>&2
if errorlevel 1 (popd & exit /b 1)
popd
:run
rem The JVM announces JAVA_TOOL_OPTIONS, _JAVA_OPTIONS and JDK_JAVA_OPTIONS on standard error, which
rem google-auth parses merged with standard output: pass them on the command line instead.
set "USER_OPTS=%JAVA_TOOL_OPTIONS% %JDK_JAVA_OPTIONS%"
set "LATE_OPTS=%_JAVA_OPTIONS%"
set JAVA_TOOL_OPTIONS=
set JDK_JAVA_OPTIONS=
set _JAVA_OPTIONS=
"%JAVA%" -Xlog:disable -XX:-PrintWarnings %USER_OPTS% %LATE_OPTS% -jar "%JAR%" %*
