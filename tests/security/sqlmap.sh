#!/usr/bin/env bash
# SQL injection: sqlmap against the JSON API of a throwaway demo server on loopback, logged in
# as the roles that reach each route — query parameters (searches, filters, paging), path
# parameters and the fields of JSON bodies, on a representative set of routes. Every target is
# asked once before the scan and once after, and must answer as expected both times, so that
# the scan ran with a working session. Fails when sqlmap reports any parameter injectable,
# tested fewer parameters than were named, stopped with a critical error, or got a 5xx answer.
#
#   tests/security/sqlmap.sh
#
# Environment: MOYAKKO_BIN, DEMO_KEEP (scripts/throwaway-demo.sh); SQLMAP_LEVEL and
# SQLMAP_RISK (default 3 and 2: about 1.5 minutes on 2 cores; 4 and 3, the deeper run, about
# 3 minutes). Needs sqlmap (Debian's); its output and home stay in the temp dir.
set -Eeuo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/lib.sh"
command -v sqlmap >/dev/null || { echo "sqlmap.sh: sqlmap is not installed (apt-get install sqlmap)" >&2; exit 2; }

level="${SQLMAP_LEVEL:-3}"
risk="${SQLMAP_RISK:-2}"

# The login target's tamper gives every attempt a random X-Forwarded-For; believed from
# loopback, it keeps the per-address login throttle from answering the scan with 429.
sec_start --trusted-proxy 127.0.0.1
[[ "$DEMO_URL" == http://127.0.0.1:* ]] || demo_fail "refusing to scan anything but loopback: $DEMO_URL"
for user in admin.seto co.hayashi dr.kato em.kawai; do sec_login "$user"; done
mkdir -p "$DEMO_DIR/sqlmap" "$DEMO_DIR/home"

today="$(TZ=Asia/Tokyo date +%F)"
four_weeks_ago="$(TZ=Asia/Tokyo date -d '27 days ago' +%F)"
targets=0
parameters=0
problems=()

# scan USER METHOD PATH [-p NAMES | --data JSON] [--expect STATUS] [sqlmap options…]
# Query parameters are named with -p; a '*' marks a place in the path or the JSON body.
# USER "-" scans without a session. STATUS is a regular expression (default 2..).
scan() {
  local user="$1" method="$2" path; path="$(sec_percent "$3" '/?&=*:,%')"; shift 3  # '*' stays: the marker
  local body="" names="" expect='2[0-9][0-9]' target_level="$level" target_risk="$risk" extra=()
  while [[ $# -gt 0 ]]; do
    case "$1" in
      -p) names="$2"; shift 2 ;;
      --data) body="$2"; shift 2 ;;
      --expect) expect="$2"; shift 2 ;;
      --level) target_level="$2"; shift 2 ;;
      --risk) target_risk="$2"; shift 2 ;;
      *) extra+=("$1"); shift ;;
    esac
  done
  targets=$((targets + 1))
  local name="$method ${path%%\?*} (${user/#-/no session})" out="$DEMO_DIR/sqlmap/$targets"

  local status
  status="$(sec_request "$user" "$method" "${path//\*/}" "${body//\*/}")"
  if [[ ! "$status" =~ ^($expect)$ ]]; then
    problems+=("$name: answered $status before the scan, not $expect: $(head -c 300 "$DEMO_DIR/response")")
    return
  fi

  local args=(-u "$DEMO_URL$path" --method "$method" --batch --dbms=SQLite --level="$target_level" --risk="$target_risk"
              --output-dir="$out" --disable-coloring)
  [[ "$user" != - ]] && args+=(--cookie "moyakko_session=$(sec_cookie "$user")" -H "X-CSRF-Token: $(sec_csrf "$user")")
  [[ -n "$body" ]] && args+=(--data "$body")
  [[ -n "$names" ]] && args+=(-p "$names")
  local started=$SECONDS
  HOME="$DEMO_DIR/home" TERM=dumb sqlmap "${args[@]}" "${extra[@]}" >"$out.log" 2>&1 || true

  # What sqlmap tested, and its verdicts.
  local expected tested injectable=none codes
  if [[ -n "$names" ]]; then expected="$(tr ',' '\n' <<<"$names" | grep -c .)"; else expected="$(tr -cd '*' <<<"$path$body" | wc -c)"; fi
  tested="$({ grep -oE "testing for SQL injection on .*parameter '[^']+'" "$out.log" || true; } | sort -u | wc -l)"
  parameters=$((parameters + tested))
  # "HTTP error codes detected during run:" is followed by "400 (Bad Request) - 934 times, …".
  codes="$(grep -A1 'HTTP error codes detected during run' "$out.log" | tail -n +2 | sed -E 's/ \([^)]*\) - ([0-9]+) times/×\1/g' || true)"
  if grep -q "identified the following injection point" "$out.log" || [[ -s "$out/127.0.0.1/log" ]]; then
    injectable="$(grep -E "^Parameter: " "$out.log" | paste -sd ';' || true)"
    problems+=("$name: INJECTABLE: ${injectable:-see $out.log}")
  fi
  if ((tested < expected)); then problems+=("$name: sqlmap tested $tested of $expected parameters"); fi
  # A page that differs at every request makes sqlmap say so as "critical" and carry on.
  while read -r line; do problems+=("$name: $line"); done < <(grep -F '[CRITICAL]' "$out.log" | grep -v 'heavily dynamic' || true)
  if [[ "$codes" =~ (^|, )5[0-9][0-9]× ]]; then problems+=("$name: server errors during the scan: $codes (see the server log)"); fi
  local dismissed
  dismissed="$(grep -c 'false positive or unexploitable' "$out.log" || true)"

  status="$(sec_request "$user" "$method" "${path//\*/}" "${body//\*/}")"
  [[ "$status" =~ ^($expect)$ ]] || problems+=("$name: answered $status after the scan, not $expect")
  printf '%-66s %2d/%d parameters %4ds  injectable: %s%s  HTTP errors: %s\n' "$name" "$tested" "$expected" \
    $((SECONDS - started)) "$injectable" "$( ((dismissed > 0)) && echo " (${dismissed} dismissed as false positive)")" "${codes:-none}"
}

echo "sqlmap $(sqlmap --version 2>/dev/null | head -1) against $DEMO_URL, level $level, risk $risk"
# The audit search first: its results (co.hayashi's logins) stay the same while the rest runs.
scan admin.seto GET "/api/v1/admin/audit?actor=co.hayashi&action=auth.&outcome=allowed&from=2020-01-01&to=2099-12-31&before=999999999&limit=50" \
  -p actor,action,outcome,from,to,before,limit
scan admin.seto GET "/api/v1/persons?q=伊藤&limit=20" -p q,limit
scan admin.seto GET "/api/v1/persons/1*"
scan co.hayashi POST "/api/v1/persons" \
  --data '{"family_name":"検査*","given_name":"花子*","family_kana":"ケンサ","given_kana":"ハナコ","birth_date":"1940-01-01","address":"瀬戸市陶本町1丁目1番地*","district":"陶本町","phones":["0561-00-0000*"]}'
scan dr.kato GET "/api/v1/carenet/patients?q=伊藤&limit=20" -p q,limit
scan co.hayashi GET "/api/v1/carenet/patients?q=伊藤&limit=20" -p q
scan dr.kato GET "/api/v1/carenet/candidates?name=伊藤&birth_date=1933-02-18" -p name,birth_date
scan dr.kato GET "/api/v1/carenet/patients/1/timeline?before=999999999&limit=20" -p before,limit
scan dr.kato POST "/api/v1/carenet/patients/1/timeline" --data '{"body":"訪問時、食欲あり*","important":false}'
scan dr.kato GET "/api/v1/carenet/patients/1/summary/history?section=allergies" -p section
scan dr.kato GET "/api/v1/directory/organizations/seto-kamagami-clinic*"
scan dr.kato GET "/api/v1/lifelog/persons/1/records?from=$four_weeks_ago&to=$today" -p from,to
# A record of the demo's: which ones exist depends on the hour the demo was made.
[[ "$(sec_request dr.kato GET "/api/v1/lifelog/persons/1/records?from=$four_weeks_ago&to=$today")" == 200 ]] ||
  demo_fail "the life records of person 1 answered: $(cat "$DEMO_DIR/response")"
record="$(sec_json records 0 client_id <"$DEMO_DIR/response")"
scan dr.kato GET "/api/v1/lifelog/persons/1/records/$record*/history"
scan em.kawai GET "/api/v1/emergency/persons?q=伊藤&birth_date=1933-02-18" -p q,birth_date
scan em.kawai POST "/api/v1/emergency/grants" --data '{"person":1,"reason":"unresponsive","note":"玄関で倒れている*"}'
scan co.hayashi GET "/api/v1/watch/status?q=青山&state=ok&sort=kana&limit=10&offset=0" -p q,state,sort,limit,offset
scan co.hayashi GET "/api/v1/watch/alerts?state=all&household=15&limit=10" -p state,household,limit
scan co.hayashi GET "/api/v1/disaster/events/1/people?label=red&need=living_alone&district=陶本町&q=伊藤" -p label,need,district,q
scan co.hayashi POST "/api/v1/disaster/events/1/people/1/safety" --data '{"label":"blue","location":"home","note":"自宅で無事を確認*"}'
scan co.hayashi GET "/api/v1/insight/households/25/profile?from=$four_weeks_ago&to=$today&cohort=district:東山町" -p from,to,cohort
scan co.hayashi POST "/api/v1/insight/groups" --data '{"name":"いきいきサロン*","households":[25]}' \
  --expect '201|409'  # the name is taken once the first request made the group
# A failed login costs the server an argon2 hash (about 0.1 s), hence the lighter level; the
# name as sent is locked (429) after five failures.
scan - POST "/api/v1/auth/login" --data '{"username":"probe.user*","password":"not-the-password","otp":"123456"}' \
  --expect '401|429' --ignore-code=401 --tamper=xforwardedfor --level 2 --risk 1

echo "targets: $targets, parameters tested: $parameters"
if [[ ${#problems[@]} -gt 0 ]]; then
  printf 'sqlmap.sh FAILED: %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "injectable: none"
