#!/usr/bin/env bash
# What the browser tests need from the machine, checked before anything else in `make test`:
# Debian's Chromium (tests/browser/browsers.py drives it by its executable path; no browser is
# downloaded) and a CJK font, so that pages draw Chinese.
#
#   all present                          -> exit 0, nothing installed
#   missing, root and apt-get available  -> apt-get install (after apt-get update if that fails)
#   missing otherwise                    -> one line on stderr with the command to run, exit 1
#
# YIJIANSHI_CHROMIUM names another Chromium executable; Debian's package is then not needed.
# Every command the decision depends on (chromium, fc-list, id, apt-get) is looked up on PATH and
# nothing else is run, so a test can give the script a PATH of stand-ins and watch what it does.
set -uo pipefail

readonly CJK_FONTS='WenQuanYi|Noto Sans CJK'
readonly FONT_PACKAGE=fonts-wqy-microhei

chromium_found() {
  if [ -n "${YIJIANSHI_CHROMIUM:-}" ]; then
    command -v -- "$YIJIANSHI_CHROMIUM" >/dev/null 2>&1
  else
    command -v chromium >/dev/null 2>&1
  fi
}

cjk_font_found() {
  local fonts
  command -v fc-list >/dev/null 2>&1 || return 1
  fonts=$(fc-list 2>/dev/null) || return 1
  shopt -s nocasematch
  [[ $fonts =~ $CJK_FONTS ]]
}

# The Debian packages still missing, space-separated (empty when nothing is missing).
missing_packages() {
  local need=()
  chromium_found || need+=(chromium)
  if ! cjk_font_found; then
    # fc-list (package fontconfig) is how the font is found, here and by Chromium's users.
    command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
    need+=("$FONT_PACKAGE")
  fi
  echo "${need[*]}"
}

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" ||
    { DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; }
}

main() {
  if [ -n "${YIJIANSHI_CHROMIUM:-}" ] && ! chromium_found; then
    echo "browser tests: YIJIANSHI_CHROMIUM=$YIJIANSHI_CHROMIUM is not an executable; set it to Chromium's path or unset it" >&2
    return 1
  fi
  local missing
  missing=$(missing_packages)
  [ -z "$missing" ] && return 0

  if [ "$(id -u 2>/dev/null)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "browser tests: installing $missing" >&2
    # shellcheck disable=SC2086  # one word per package
    if apt_install $missing && [ -z "$(missing_packages)" ]; then
      return 0
    fi
    echo "browser tests: could not install $missing; run: apt-get install -y $missing" >&2
    return 1
  fi
  if command -v apt-get >/dev/null 2>&1; then
    echo "browser tests need $missing; run: sudo apt-get install -y $missing" >&2
  else
    echo "browser tests need Chromium and a CJK font (WenQuanYi Micro Hei or Noto Sans CJK);" \
      "install them, or set YIJIANSHI_CHROMIUM to Chromium's executable" >&2
  fi
  return 1
}

main "$@"
