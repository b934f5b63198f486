#!/usr/bin/env bash
# No secrets and no personal data in the server's log. A throwaway demo server on loopback, at
# its most verbose log level (trace), is given: logins that succeed, fail on the password, on
# the one-time code or on an unknown name; a user added by an admin who logs in and enrols a
# second factor, then logs out; sensor uploads with device tokens from the command line and
# from the API, and with an unknown token; and requests that carry personal data — searches
# by name, kana and phone, a new person of the register, a timeline post, a break-glass grant
# and the emergency sheet, a safety post, a malformed body and a refused field. Its stdout and
# stderr are then searched for every password, TOTP secret, one-time code, session cookie,
# CSRF token and device token used, and for the personal strings sent or answered (raw and
# percent-encoded). A hit fails the check and shows the line with the value masked. Every
# request made must show in the log as a request line, so that the search is not vacuous.
#
#   tests/security/log_secrets.sh
#
# Environment: MOYAKKO_BIN, DEMO_KEEP (scripts/throwaway-demo.sh).
set -Eeuo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/lib.sh"

DEMO_LOG_LEVEL=trace sec_start
tag="$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"  # makes this run's strings its own

labels=() values=() whole_word=()
# secret LABEL VALUE [word]: "word" matches only as a whole word (six-digit codes).
secret() {
  [[ -n "$2" ]] || demo_fail "nothing to search for as $1"
  labels+=("$1"); values+=("$2"); whole_word+=("${3:-}")
}
# A query string in the log would show a value percent-encoded.
personal() { secret "$1" "$2"; secret "$1 (percent-encoded)" "$(sec_percent "$2")"; }
session_secrets() { # USER [WHEN]
  secret "session cookie of $1${2:+ $2}" "$(sec_cookie "$1")"
  secret "CSRF token of $1${2:+ $2}" "$(sec_csrf "$1")"
}

requests=()
# call STATUS USER METHOD PATH [BODY [CURL_ARGS…]]: the request must answer STATUS.
call() {
  local want="$1" got; shift
  got="$(sec_request "$@")"
  [[ "$got" == "$want" ]] || demo_fail "$2 $3 as $1 answered $got, not $want: $(head -c 300 "$DEMO_DIR/response")"
  requests+=("$2 ${3%%\?*} $got")
}

# Logins that succeed: demo users, and one added on the command line.
demo_add_user ns.kensho nurse "Nurse-$tag-password" \
  "$(python3 -c 'import base64, os; print(base64.b32encode(os.urandom(20)).decode())')"
for user in admin.seto co.hayashi dr.kato em.kawai ns.kensho; do
  sec_login "$user"
  requests+=("POST /api/v1/auth/login 200")
  secret "password of $user" "${DEMO_PASSWORD[$user]}"
  secret "TOTP secret of $user" "${DEMO_SECRET[$user]}"
  secret "one-time code of $user" "${SEC_OTP[$user]}" word
  session_secrets "$user"
done

# Logins that fail.
wrong_password="Wrong-$tag-password"
secret "a wrong password" "$wrong_password"
call 401 - POST /api/v1/auth/login "$(sec_login_body dr.kato "$wrong_password" "$(sec_otp dr.kato)")"
wrong_code="$(printf '%06d' $(((10#${SEC_OTP[co.hayashi]} + 500000) % 1000000)))"
secret "a wrong one-time code" "$wrong_code" word
call 401 - POST /api/v1/auth/login "$(sec_login_body co.hayashi "${DEMO_PASSWORD[co.hayashi]}" "$wrong_code")"
secret "the password of an unknown user" "Unknown-$tag-password"
call 401 - POST /api/v1/auth/login "$(sec_login_body "nobody.$tag" "Unknown-$tag-password" 123456)"

# A user added by an admin logs in with the password alone and enrols a second factor.
newcomer="cm.kensho-$tag"
DEMO_PASSWORD[$newcomer]="Care-$tag-password"
secret "password of the admin's new user" "${DEMO_PASSWORD[$newcomer]}"
call 201 admin.seto POST /api/v1/admin/users \
  "{\"username\":\"$newcomer\",\"password\":\"${DEMO_PASSWORD[$newcomer]}\",\"role\":\"care_manager\",\"display_name\":\"検証 ケアマネ\"}"
call 200 - POST /api/v1/auth/login "$(sec_login_body "$newcomer" "${DEMO_PASSWORD[$newcomer]}" "")" -c "$DEMO_DIR/$newcomer.cookies"
sec_keep_csrf "$newcomer"
session_secrets "$newcomer" "(enrolment)"
call 200 "$newcomer" GET /api/v1/auth/totp/enrolment
DEMO_SECRET[$newcomer]="$(sec_json secret <"$DEMO_DIR/response")"
secret "TOTP secret given at enrolment" "${DEMO_SECRET[$newcomer]}"
code="$(sec_otp "$newcomer")"
secret "one-time code at enrolment" "$code" word
call 200 "$newcomer" POST /api/v1/auth/totp/enrolment "{\"otp\":\"$code\"}" -c "$DEMO_DIR/$newcomer.cookies"
sec_keep_csrf "$newcomer"
session_secrets "$newcomer"
call 204 "$newcomer" POST /api/v1/auth/logout

# Sensor uploads: tokens from the command line and from the API, and one that is nobody's.
upload() { # STATUS DEVICE TOKEN
  local at; at="$(date -u -d '1 minute ago' +%FT%TZ)"
  call "$1" - POST /api/v1/ingest \
    "{\"device\":\"$2\",\"readings\":[{\"seq\":1,\"at\":\"$at\",\"kind\":\"door\",\"value\":\"open\"},{\"seq\":2,\"at\":\"$at\",\"kind\":\"door\",\"value\":\"close\"}]}" \
    -H "Authorization: Bearer $3"
}
"$MOYAKKO_BIN" device add --db "$DEMO_DB" --household 25 >"$DEMO_DIR/device.json"
device="$(sec_json device <"$DEMO_DIR/device.json")"
token="$(sec_json token <"$DEMO_DIR/device.json")"
secret "device token from moyakko device add" "$token"
upload 200 "$device" "$token"
call 201 admin.seto POST /api/v1/watch/households/25/devices
device="$(sec_json device <"$DEMO_DIR/response")"
token="$(sec_json token <"$DEMO_DIR/response")"
secret "device token from the API" "$token"
upload 200 "$device" "$token"
token="$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
secret "a device token that is nobody's" "$token"
upload 401 "$device" "$token"

# Personal data: searches for a demo resident by name, kana and phone, and what they answer.
call 200 admin.seto GET "/api/v1/persons?q=$(sec_percent 伊藤とし)"
personal "name searched" 伊藤とし
for field in name kana address "phones 0"; do
  # shellcheck disable=SC2086  # "phones 0" is two keys
  personal "the resident's $field" "$(sec_json persons 0 $field <"$DEMO_DIR/response")"
done
phone="$(sec_json persons 0 phones 0 <"$DEMO_DIR/response")"
person="$(sec_json persons 0 id <"$DEMO_DIR/response")"
call 200 dr.kato GET "/api/v1/carenet/patients?q=$(sec_percent イトウトシ)"
personal "kana searched" イトウトシ
call 200 em.kawai GET "/api/v1/emergency/persons?q=$(sec_percent "$phone")"

# Break-glass with the paramedic's own words, the sheet it opens, and a timeline post.
grant_note="玄関で倒れている、検証$tag"
personal "break-glass note" "$grant_note"
call 201 em.kawai POST /api/v1/emergency/grants "{\"person\":$person,\"reason\":\"unresponsive\",\"note\":\"$grant_note\"}"
call 200 em.kawai GET "/api/v1/emergency/persons/$person/sheet"
post_body="右かかとに発赤あり、検証$tag"
personal "timeline post" "$post_body"
call 201 dr.kato POST "/api/v1/carenet/patients/$person/timeline" "{\"body\":\"$post_body\"}"
safety_note="自宅で無事を確認、検証$tag"
personal "safety post" "$safety_note"
call 201 co.hayashi POST "/api/v1/disaster/events/1/people/$person/safety" \
  "{\"label\":\"blue\",\"location\":\"home\",\"note\":\"$safety_note\"}"

# A new person of the register, then the same data in a malformed body and a refused field.
new_phone="0561-99-$(printf '%04d' $((16#${tag:0:4} % 10000)))"
personal "new person's family name" "検証田$tag"
personal "new person's phone" "$new_phone"
personal "new person's address" "瀬戸市検証町${tag}番地"
person_body="\"family_name\":\"検証田$tag\",\"given_name\":\"みどり\",\"address\":\"瀬戸市検証町${tag}番地\",\"phones\":[\"$new_phone\"]"
call 201 co.hayashi POST /api/v1/persons "{$person_body}"
call 400 co.hayashi POST /api/v1/persons "{$person_body"
call 400 co.hayashi POST /api/v1/persons "{$person_body,\"birth_date\":\"検証田$tag\"}"

# Every request made shows in the log: method, path and status.
lines="$(wc -l <"$DEMO_LOG")"
for request in "${requests[@]}"; do
  grep -qF -- "$request " "$DEMO_LOG" || demo_fail "no request line \"$request\" in the server log ($lines lines): the check would prove nothing"
done

# None of the values does.
declare -A seen=()
hits=0
for i in "${!values[@]}"; do
  value="${values[$i]}"
  [[ -n "$value" && -z "${seen[$value]:-}" ]] || continue
  seen[$value]=1
  flags=(-nF)
  [[ -n "${whole_word[$i]}" ]] && flags+=(-w)
  while IFS= read -r line; do
    line="${line//"$value"/«${labels[$i]}»}"
    echo "log_secrets.sh: ${labels[$i]} in the server log, line ${line%%:*}: ${line#*:}" >&2
    hits=$((hits + 1))
  done < <(grep "${flags[@]}" -- "$value" "$DEMO_LOG" || true)
done
echo "log_secrets.sh: ${#requests[@]} requests, all in the server log ($lines lines at level trace);" \
  "${#seen[@]} secrets and personal strings searched for"
if ((hits > 0)); then
  echo "log_secrets.sh FAILED: secrets or personal data in $hits log line(s)" >&2
  exit 1
fi
echo "log_secrets.sh: none of them in the log"
