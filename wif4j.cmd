@echo off
rem wif4j command launcher for Windows. Builds the command line on first run (a JDK 17+ is all it
rem needs: the Maven Wrapper fetches Maven), then runs it.   wif4j demo   wif4j doctor   wif4j --help
setlocal
set "DIR=%~dp0"
set "JAR=%DIR%cli\target\wif4j-cli.jar"
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
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
"%JAVA%" -jar "%JAR%" %*
