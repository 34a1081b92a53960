# twinrouter exec server: runs inside a Docker sandbox as ONE long-lived exec, so that each agent
# step costs a request on an open stream instead of an engine exec create/start (the engine's
# ~150 ms). Needs only bash and coreutils (head, base64, timeout, env, mkfifo, mktemp, grep).
#
# Started as: bash -c "$(this file)" twinrouter-exec-server WORKDIR SHELL_FLAG (-c or -lc)
#
# Request (stdin): one line "ID TIMEOUT_MS CMD_LEN STDIN_LEN", then CMD_LEN bytes of the command
# and STDIN_LEN bytes of its standard input. `read -N` (in the C locale) and GNU `head -c` consume
# exactly the bytes asked for, so the bodies may hold any bytes (a command holds no NUL: the client
# sends such a command through a per-exec exec instead, as argv cannot carry one either).
# Answer: the command's stdout as base64 lines on this exec's stdout, then "#END ID EXIT"; its
# stderr as base64 lines on this exec's stderr, then "#END ID". A line starting with '#' is never
# base64, so the command's output cannot forge a control line.
#
# Each command is a fresh `bash SHELL_FLAG COMMAND` in WORKDIR under `timeout --signal=KILL` (which kills
# its process group), with TWINROUTER_EXEC=ID in its environment so that processes that left the
# group are found and killed as well when the time is up: the semantics of the per-exec path.

wd=$1
flag=${2:--lc}
# fd 3 and 4 are the answer channels; the server's own diagnostics go nowhere, so nothing but
# framed lines ever reaches the client.
exec 3>&1 4>&2 1>/dev/null 2>/dev/null

# The output readers are started once and stay: each loops over "base64 of the next writer's
# output until EOF, then say so on the done pipe (fd 7)", so that no process has to be started for
# them while a command waits. A pipe's reader sees EOF once the command and everything it left
# holding the output have closed it.
d=$(mktemp -d /tmp/.twinrouter-exec-server.XXXXXX) && mkfifo "$d/o" "$d/e" "$d/done" && exec 7<>"$d/done" || {
  printf '#FAIL setup\n' >&3
  exit 1
}
reader() { # FIFO CHANNEL_FD NAME
  exec 0</dev/null 5<&- 2>/dev/null
  while base64 <"$1" >&"$2"; do
    printf '%s\n' "$3" >&7
  done
}
reader "$d/o" 3 o 4>&- &
ro=$!
reader "$d/e" 4 e 3>&- &
re=$!
# on the way out: stop the loops, and open the pipes once (read-write never blocks) so that the
# base64 waiting for a writer sees EOF and ends too
trap 'kill "$ro" "$re"; exec 8<>"$d/o" 9<>"$d/e" 8>&- 9>&-; rm -rf "$d"' EXIT
setup() { # the directory is gone (a command removed it): the readers wait on pipes nobody can open
  [ -p "$d/o" ] && [ -p "$d/e" ]
}
# microseconds since the epoch into $us (bash 5 has EPOCHREALTIME; older ones pay a date process)
now_us() {
  if [ -n "$EPOCHREALTIME" ]; then
    us=${EPOCHREALTIME//[!0-9]/}
  else
    us=$(date +%s%6N)
  fi
}
printf '#READY %s\n' "$$" >&3

while IFS=' ' read -r id ms clen slen; do
  case "$id" in '' | *[!0-9a-f-]*) printf '#FAIL bad-request\n' >&3; exit 1 ;; esac
  case "$ms$clen$slen" in '' | *[!0-9]*) printf '#FAIL bad-request\n' >&3; exit 1 ;; esac
  setup || { printf '#FAIL setup\n' >&3; exit 1; }
  # bytes, not characters, whatever the locale; the client never sends a NUL in a command
  cmd=
  if [ "$clen" -gt 0 ]; then
    LC_ALL=C IFS= read -r -N "$clen" cmd || { printf '#FAIL read\n' >&3; exit 1; }
  fi
  if [ "$slen" -gt 0 ]; then
    # the input is opened, then deleted at once: nothing of it stays in the sandbox
    head -c "$slen" >"$d/i" || { printf '#FAIL read\n' >&3; exit 1; }
    exec 5<"$d/i"
    rm -f "$d/i"
  else
    exec 5</dev/null
  fi
  printf -v secs '%d.%03d' $((ms / 1000)) $((ms % 1000))
  now_us
  start=$us
  (
    cd "$wd" 2>/dev/null || exit 127
    # the command gets stdin, stdout and stderr only, and the environment the exec had
    exec 3>&- 4>&- 5<&- 7>&-
    unset SHLVL OLDPWD
    export TWINROUTER_EXEC="$id"
    exec timeout --signal=KILL "$secs" bash "$flag" "$cmd"
  ) <&5 >"$d/o" 2>"$d/e"
  rc=$?
  exec 5<&-
  if [ "$rc" -eq 137 ] || [ "$rc" -eq 124 ]; then
    now_us
    if [ $((10#$us - 10#$start)) -ge $((ms * 1000)) ]; then
      # the time is up: kill what left the process group too, so that the readers see the end
      for f in $(grep -lsxzF "TWINROUTER_EXEC=$id" /proc/[0-9]*/environ); do
        p=${f#/proc/}
        kill -9 "${p%/environ}"
      done
    fi
  fi
  # both readers reach EOF (in either order)
  read -r -u 7 done1 && read -r -u 7 done2 || { printf '#FAIL readers\n' >&3; exit 1; }
  printf '#END %s\n' "$id" >&4
  printf '#END %s %s\n' "$id" "$rc" >&3
done
