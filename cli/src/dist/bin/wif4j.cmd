@echo off
rem wif4j, the installed command for Windows (the distribution built by mvnw -pl cli -am package):
rem   bin\wif4j.cmd COMMAND ...        bin\wif4j.cmd --create-cds-archive   (once, at install)
rem   bin\wif4j.cmd --create-aot-cache   (JDK 25+, instead: faster first calls, slower cached ones)
rem Point credential_process / executable.command at this file by its absolute path. It prints
rem nothing of its own, so credential helper calls answer with nothing but their response.
setlocal
set "WIF4J_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
rem The JVM announces JAVA_TOOL_OPTIONS, _JAVA_OPTIONS and JDK_JAVA_OPTIONS on standard error,
rem which google-auth parses merged with standard output: pass them on the command line instead.
rem They reach java.exe as written, so "double quotes" keep an option with blanks in one piece, as
rem the JVM reads those variables. A helper lives for a second: C1 only, no perf-data file (not the
rem serial collector: JDK 17 maps its archived module graph only with G1; docs/BENCHMARKS.md).
set "USER_OPTS=%JAVA_TOOL_OPTIONS% %JDK_JAVA_OPTIONS% %WIF4J_JAVA_OPTS% %_JAVA_OPTIONS%"
set JAVA_TOOL_OPTIONS=
set JDK_JAVA_OPTIONS=
set _JAVA_OPTIONS=
set VM_OPTS=-Xlog:disable -XX:-PrintWarnings -XX:TieredStopAtLevel=1 -XX:-UsePerfData
set "CP=%WIF4J_HOME%\lib\*"

rem Class-data sharing, as bin/wif4j: an archive per JDK, made by --create-cds-archive (a training
rem run of both helpers against the embedded fakes), a dynamic AppCDS archive; --create-aot-cache
rem makes a JDK 25 AOT cache instead. The JDK's path, made a file name, tells their archives apart.
set "CDS_DIR=%WIF4J_HOME%\cds"
set "CDS_KEY=%JAVA%"
set "CDS_KEY=%CDS_KEY:\=_%"
set "CDS_KEY=%CDS_KEY::=_%"
set "CDS_KEY=%CDS_KEY: =_%"
set "CDS_KEY=%CDS_KEY:(=_%"
set "CDS_KEY=%CDS_KEY:)=_%"
set "JSA=%CDS_DIR%\wif4j-%CDS_KEY%.jsa"
set "AOT=%CDS_DIR%\wif4j-%CDS_KEY%.aot"
if "%~1"=="--create-cds-archive" goto createcds
if "%~1"=="--create-aot-cache" goto createcds
if defined WIF4J_NO_CDS goto run
if exist "%AOT%" goto aot
if exist "%JSA%" goto jsa
goto run

:aot
set VM_OPTS=%VM_OPTS% "-XX:AOTCache=%AOT%"
goto relocation
:jsa
set VM_OPTS=%VM_OPTS% "-XX:SharedArchiveFile=%JSA%"
:relocation
rem map the archive where it was dumped (diagnostic flag, ignored by a JDK that lacks it)
set VM_OPTS=%VM_OPTS% -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0

:run
"%JAVA%" %VM_OPTS% %USER_OPTS% -cp "%CP%" io.github.wif4j.cli.Main %*
exit /b %ERRORLEVEL%

:createcds
if not exist "%CDS_DIR%" mkdir "%CDS_DIR%"
if exist "%AOT%" del /f /q "%AOT%"
if exist "%JSA%" del /f /q "%JSA%"
set "LOG=%TEMP%\wif4j-cds.log"
if "%~1"=="--create-aot-cache" goto createaot
"%JAVA%" %VM_OPTS% %USER_OPTS% "-XX:ArchiveClassesAtExit=%JSA%" -cp "%CP%" io.github.wif4j.cli.CdsTraining > "%LOG%" 2>&1
if errorlevel 1 goto createfailed
if not exist "%JSA%" goto createfailed
echo wif4j: wrote %JSA%
exit /b 0
:createaot
"%JAVA%" %VM_OPTS% %USER_OPTS% "-XX:AOTCacheOutput=%AOT%" -cp "%CP%" io.github.wif4j.cli.CdsTraining > "%LOG%" 2>&1
if errorlevel 1 goto createfailed
if not exist "%AOT%" goto createfailed
echo wif4j: wrote %AOT%
exit /b 0
:createfailed
echo wif4j: could not write a class-data sharing archive in %CDS_DIR% (see %LOG%) 1>&2
exit /b 1
