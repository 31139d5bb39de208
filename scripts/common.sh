# shellcheck shell=bash
# scripts/common.sh -- helpers shared by scripts/test.sh and scripts/demo.sh.
# Source it from the repository root.

# Generate configure and Makefile.in when they are missing or stale.
zk_bootstrap() {
    if [ ! -x configure ] || [ ! -f Makefile.in ] || [ configure -ot configure.ac ]; then
        echo "==> ./autogen.sh"
        ./autogen.sh
    fi
}

# zk_configure exact|subset OPTION...
# Configure in the source tree, unless it is already configured with exactly
# these options (exact) or with at least these options (subset).
zk_configure() {
    local mode=$1 current want opt reuse=1
    shift
    if [ -f config.status ] && [ -f Makefile ]; then
        current=$(./config.status --config)
        if [ "$mode" = exact ]; then
            want=$(for opt in "$@"; do printf "'%s' " "$opt"; done)
            [ "$current" = "${want% }" ] || reuse=0
        else
            for opt in "$@"; do
                case " $current " in
                    *" '$opt' "*) ;;
                    *) reuse=0 ;;
                esac
            done
        fi
    else
        reuse=0
    fi
    if [ "$reuse" -eq 0 ]; then
        # Objects built with other flags (say, sanitizers) would be reused.
        if [ -f Makefile ]; then
            make -s clean >/dev/null 2>&1 || true
        fi
        echo "==> ./configure $*"
        ./configure -q "$@"
    fi
}
