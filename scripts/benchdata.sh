# The load benchmarks' data and checks, sourced by scripts/loadbench,
# scripts/instrcount and scripts/abbench, so that every figure in
# docs/performance.md is measured on the same answers.

# bench_key is the default seed's Development API key.
bench_key=95798d340c0a17e8f9c93b9d209d2fc7

# bench_post URL PATH KEY BODY: a POST that fails unless it is answered 2xx.
bench_post() {
  curl -sf -o /dev/null -X POST "$1$2" -H "Authorization: ApiKey $3" -H 'Content-Type: application/json' -d "$4"
}

# bench_fill URL: what the benchmarks add to the seeded Development
# environment: a Slack integration, nine email ones (every other one
# active), ten subscribers and a channel connection for each (a
# connection's subscriber must exist, as in Novu). The list then holds 20
# integrations (8.6 kB), /active 13, a page of /v1/channel-connections 10.
bench_fill() {
  local url=$1 i
  bench_post "$url" /v1/integrations "$bench_key" \
    '{"providerId":"slack","channel":"chat","identifier":"slack-bench","credentials":{"clientId":"C1","redirectUrl":"http://localhost:5173/settings"}}'
  for i in $(seq 1 9); do
    bench_post "$url" /v1/integrations "$bench_key" "{\"providerId\":\"sendgrid\",\"channel\":\"email\",\"active\":$([ $((i % 2)) = 0 ] && echo true || echo false),\"credentials\":{\"apiKey\":\"SG.k$i\",\"from\":\"a@b.co\",\"senderName\":\"Acme\"}}"
  done
  for i in $(seq 1 10); do
    bench_post "$url" /v2/subscribers "$bench_key" "{\"subscriberId\":\"sub-$i\"}"
    bench_post "$url" /v1/channel-connections "$bench_key" "{\"integrationIdentifier\":\"slack-bench\",\"subscriberId\":\"sub-$i\",\"workspace\":{\"id\":\"T0$i\",\"name\":\"Acme workspace $i\"},\"auth\":{\"accessToken\":\"xoxb-$i\"}}"
  done
}

# bench_same_answer A B: whether the answers curl wrote to A.head/A.body and
# B.head/B.body are the same: the bytes, and every header but Date. Header
# names compare without case, as HTTP reads them (net/http canonicalises the
# reference's, and the mock writes helmet's as helmet does:
# X-DNS-Prefetch-Control). Says what differs when they are not.
bench_same_answer() {
  _bench_headers() { grep -iv '^Date:' "$1" | awk -F': ' '{ printf "%s: %s\n", tolower($1), substr($0, length($1) + 3) }' | sort; }
  if ! cmp -s "$1.body" "$2.body"; then
    echo "the bodies differ: $(wc -c <"$1.body") against $(wc -c <"$2.body") bytes" >&2
    return 1
  fi
  diff <(_bench_headers "$1.head") <(_bench_headers "$2.head") >&2
}

# bench_port PID: the TCP port a process listens on, once it does; fails
# at once if the process has exited, and after about 5 s if it never listens.
bench_port() {
  local p
  for _ in $(seq 1 500); do
    kill -0 "$1" 2>/dev/null || { echo "process $1 exited without listening" >&2; return 1; }
    p=$(ss -ltnp 2>/dev/null | awk -v p="pid=$1," '$0 ~ p {n=split($4, a, ":"); print a[n]; exit}')
    [ -n "$p" ] && { echo "$p"; return; }
    sleep 0.01
  done
  echo "process $1 does not listen" >&2
  return 1
}
