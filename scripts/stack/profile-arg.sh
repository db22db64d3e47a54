# Sourced by the scripts that take `--profile NAME` (or `--profile=NAME`) anywhere among their
# arguments: sets DF_STACK_PROFILE from it (default: the variable's own value, else "default") and
# leaves the other arguments, in order, in PASSED_ARGS.
PASSED_ARGS=()
while (($#)); do
  case "$1" in
    --profile) DF_STACK_PROFILE="${2:?--profile needs a name}"; shift 2 ;;
    --profile=*) DF_STACK_PROFILE="${1#--profile=}"; shift ;;
    *) PASSED_ARGS+=("$1"); shift ;;
  esac
done
DF_STACK_PROFILE="${DF_STACK_PROFILE:-default}"
