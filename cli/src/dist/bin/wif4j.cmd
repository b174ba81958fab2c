@echo off
rem wif4j, the installed command for Windows (the distribution built by mvnw -pl cli -am package).
rem Point credential_process / executable.command at this file by its absolute path. It prints
rem nothing of its own, so credential helper calls answer with nothing but their response.
setlocal
set "WIF4J_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
rem The JVM announces JAVA_TOOL_OPTIONS, _JAVA_OPTIONS and JDK_JAVA_OPTIONS on standard error,
rem which google-auth parses merged with standard output: pass them on the command line instead.
set "USER_OPTS=%JAVA_TOOL_OPTIONS% %JDK_JAVA_OPTIONS% %WIF4J_JAVA_OPTS%"
set "LATE_OPTS=%_JAVA_OPTIONS%"
set JAVA_TOOL_OPTIONS=
set JDK_JAVA_OPTIONS=
set _JAVA_OPTIONS=
"%JAVA%" -Xlog:disable -XX:-PrintWarnings -XX:TieredStopAtLevel=1 %USER_OPTS% %LATE_OPTS% -cp "%WIF4J_HOME%\lib\*" io.github.wif4j.cli.Main %*
