# shellcheck shell=bash
# Shared by the security checks (sourced, not run): a throwaway demo server on loopback
# (scripts/throwaway-demo.sh), logins to it and requests.
#
#   source tests/security/lib.sh
#   sec_start [serve flags…]     demo database and server; the EXIT trap stops that server
#   sec_login USER               logs in (demo users, or any added with demo_add_user)
#   sec_request USER METHOD PATH [BODY [CURL_ARGS…]]
#                                prints the status; the answer's body is in $DEMO_DIR/response
#
# Environment: as scripts/throwaway-demo.sh (MOYAKKO_BIN, DEMO_LOG_LEVEL, DEMO_KEEP).
# SEC_OTP[user] is the one-time code sec_login used. Needs curl, python3 and oathtool.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/throwaway-demo.sh"
declare -A SEC_OTP=()

sec_start() {
  demo_create security
  trap 'echo "$(basename "$0"): stopped by a failing command at line $LINENO" >&2' ERR
  demo_serve "$@"
}

# Prints one value of the JSON on stdin: sec_json csrf_token, sec_json persons 0 id.
sec_json() {
  python3 -c 'import functools, json, sys
print(functools.reduce(lambda v, k: v[int(k)] if isinstance(v, list) else v[k], sys.argv[1:], json.load(sys.stdin)))' "$@"
}

# sec_percent STRING [KEEP]: percent-encoded as in a URL, keeping letters, digits, ".~_-" and
# the characters of KEEP (e.g. "/?&=" for a whole path).
sec_percent() {
  local LC_ALL=C text="$1" keep="${2:-}" out="" c i
  for ((i = 0; i < ${#text}; i++)); do
    c="${text:i:1}"
    if [[ "$c" == [A-Za-z0-9.~_-] || ( -n "$keep" && "$keep" == *"$c"* ) ]]; then out+="$c"
    else printf -v c '%%%02X' "'$c"; out+="$c"; fi
  done
  printf '%s\n' "$out"
}

sec_otp() { oathtool --totp -b "${DEMO_SECRET[$1]}"; }

# The session cookie and CSRF token of a user logged in with sec_login.
sec_cookie() { awk '$6 == "moyakko_session" { print $7 }' "$DEMO_DIR/$1.cookies"; }
sec_csrf() { cat "$DEMO_DIR/$1.csrf"; }

# The body of POST /api/v1/auth/login: sec_login_body USER PASSWORD OTP.
sec_login_body() {
  python3 -c 'import json, sys; print(json.dumps(dict(zip(["username", "password", "otp"], sys.argv[1:]))))' "$@"
}

# SEC_OTP[user] keeps the code it used: a code works once (docs/api.md 3.8).
sec_login() {
  local status
  SEC_OTP[$1]="$(sec_otp "$1")"
  status="$(sec_request - POST /api/v1/auth/login "$(sec_login_body "$1" "${DEMO_PASSWORD[$1]}" "${SEC_OTP[$1]}")" \
    -c "$DEMO_DIR/$1.cookies")"
  [[ "$status" == 200 ]] || demo_fail "login of $1 answered $status: $(cat "$DEMO_DIR/response")"
  sec_keep_csrf "$1"
}

# Keeps the csrf_token of the last answer (a login or enrolment) as USER's.
sec_keep_csrf() { sec_json csrf_token <"$DEMO_DIR/response" >"$DEMO_DIR/$1.csrf"; }

# sec_request USER METHOD PATH [BODY [CURL_ARGS…]]: USER "-" sends no session; BODY "" none.
sec_request() {
  local user="$1" path="$3" body="${4:-}" args=(-sS -o "$DEMO_DIR/response" -w '%{http_code}' -X "$2")
  shift $(($# < 4 ? $# : 4))
  if [[ "$user" != - ]]; then args+=(-b "$DEMO_DIR/$user.cookies" -H "X-CSRF-Token: $(sec_csrf "$user")"); fi
  if [[ -n "$body" ]]; then args+=(-H 'Content-Type: application/json' --data-binary "$body"); fi
  curl "${args[@]}" "$@" "$DEMO_URL$path"
}
