#!/usr/bin/env bash
# http-ok HOST PORT PATH [PATTERN]: exit 0 when GET PATH answers 200 (and its body matches the
# extended regular expression PATTERN, if given). Bash's /dev/tcp, for images without curl.
set -euo pipefail
host="$1" port="$2" path="$3" pattern="${4:-}"
exec 3<>"/dev/tcp/$host/$port"
printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$host" >&3
answer="$(timeout 5 cat <&3)"
[[ "${answer%%$'\r'*}" =~ ^HTTP/1\.[01]\ 200 ]] || exit 1
[[ -z "$pattern" ]] || grep -Eq "$pattern" <<<"$answer"
