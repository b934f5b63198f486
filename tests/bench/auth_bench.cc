// Login cost: argon2id hashing and verification at the parameters the server uses.
#include <benchmark/benchmark.h>

#include "auth/password.h"
#include "auth/totp.h"
#include "common/crypto.h"

static void BM_Argon2idVerify(benchmark::State& state) {
  moyakko::InitCrypto();
  std::string hash = moyakko::auth::HashPassword("a demo password");
  for (auto _ : state) benchmark::DoNotOptimize(moyakko::auth::VerifyPassword(hash, "a demo password"));
}
BENCHMARK(BM_Argon2idVerify)->Unit(benchmark::kMillisecond)->MinTime(2.0);

static void BM_TotpCheck(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(moyakko::auth::MatchTotp("JBSWY3DPEHPK3PXP", "123456", 1700000000000));
}
BENCHMARK(BM_TotpCheck);

BENCHMARK_MAIN();
