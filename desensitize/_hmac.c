/* HMAC-SHA256 of many short values at once: the keyed pseudonym's hot path (see hmac_batch.py).
 *
 * Why by hand: polars-hash (the only vectorized HMAC for Polars) re-derives the padded key for every
 * value (four SHA-256 compressions a value, ~1 us) and neither Polars, DuckDB nor pyarrow has HMAC.
 * Here the padded key states are compressed once per call, so a value of at most 55 bytes costs two
 * compressions, and on x86-64 with AVX2 eight values are hashed side by side, one per 32-bit lane
 * (a "multi-buffer" SHA-256). Longer values, and the last few of a call, take the scalar path.
 * The GIL is released while hashing, so Python threads run calls on separate slices in parallel.
 *
 * hex_digests(key, views, data, first, count, out): values first..first+count-1 of a string column
 * (warehouse/string_views.h: Polars' strings, not copied) -> 64 lowercase hex characters each, written
 * to `out` one after the other (value first at byte 0). Checked against Python's hmac module in
 * tests/test_hmac_batch.py.
 */
#include "string_views.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static const uint32_t IV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

/* One SHA-256 compression of the 16 big-endian words `w` into `state`. */
static void compress(uint32_t state[8], const uint32_t block[16]) {
    uint32_t w[64], s[8];
    memcpy(w, block, 64);
    for (int t = 16; t < 64; t++) {
        uint32_t s0 = ROTR(w[t - 15], 7) ^ ROTR(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = ROTR(w[t - 2], 17) ^ ROTR(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    memcpy(s, state, 32);
    for (int t = 0; t < 64; t++) {
        uint32_t t1 = s[7] + (ROTR(s[4], 6) ^ ROTR(s[4], 11) ^ ROTR(s[4], 25)) +
                      ((s[4] & s[5]) ^ (~s[4] & s[6])) + K[t] + w[t];
        uint32_t t2 = (ROTR(s[0], 2) ^ ROTR(s[0], 13) ^ ROTR(s[0], 22)) +
                      ((s[0] & s[1]) ^ (s[0] & s[2]) ^ (s[1] & s[2]));
        s[7] = s[6], s[6] = s[5], s[5] = s[4], s[4] = s[3] + t1;
        s[3] = s[2], s[2] = s[1], s[1] = s[0], s[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++) state[i] += s[i];
}

static void load_block(uint32_t words[16], const uint8_t *bytes) {
    for (int i = 0; i < 16; i++)
        words[i] = (uint32_t)bytes[4 * i] << 24 | (uint32_t)bytes[4 * i + 1] << 16 |
                   (uint32_t)bytes[4 * i + 2] << 8 | bytes[4 * i + 3];
}

/* The padded key states: SHA-256 after absorbing key^ipad and key^opad (key at most 64 bytes). */
typedef struct {
    uint32_t inner[8], outer[8];
} Pads;

static void make_pads(Pads *pads, const uint8_t *key, Py_ssize_t len) {
    uint8_t in[64], out[64];
    uint32_t words[16];
    for (int i = 0; i < 64; i++) {
        uint8_t b = i < len ? key[i] : 0;
        in[i] = b ^ 0x36, out[i] = b ^ 0x5c;
    }
    memcpy(pads->inner, IV, 32), memcpy(pads->outer, IV, 32);
    load_block(words, in), compress(pads->inner, words);
    load_block(words, out), compress(pads->outer, words);
}

static void write_hex(char *out, const uint32_t digest[8]) {
    static const char HEX[] = "0123456789abcdef";
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++) out[8 * i + j] = HEX[(digest[i] >> (28 - 4 * j)) & 15];
}

/* The outer block: the inner digest, padding, and the length of key block + digest (768 bits). */
static void outer_block(uint32_t block[16], const uint32_t inner[8]) {
    memcpy(block, inner, 32);
    block[8] = 0x80000000u;
    memset(block + 9, 0, 6 * 4);
    block[15] = (64 + 32) * 8;
}

static void hmac_one(const Pads *pads, const uint8_t *msg, int64_t len, char *out) {
    uint32_t state[8], words[16];
    uint8_t tail[128] = {0};
    memcpy(state, pads->inner, 32);
    int64_t full = len / 64;
    for (int64_t b = 0; b < full; b++) load_block(words, msg + 64 * b), compress(state, words);
    int64_t rest = len - 64 * full;
    memcpy(tail, msg + 64 * full, rest);
    tail[rest] = 0x80;
    int blocks = rest < 56 ? 1 : 2;
    uint64_t bits = (uint64_t)(64 + len) * 8;
    for (int i = 0; i < 8; i++) tail[64 * blocks - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (int b = 0; b < blocks; b++) load_block(words, tail + 64 * b), compress(state, words);
    outer_block(words, state);
    memcpy(state, pads->outer, 32);
    compress(state, words);
    write_hex(out, state);
}

#ifdef HAVE_AVX2_PATH
#define AVX2 __attribute__((target("avx2")))
#define V __m256i
#define ADD(a, b) _mm256_add_epi32(a, b)
#define XOR(a, b) _mm256_xor_si256(a, b)
#define VROTR(x, n) _mm256_or_si256(_mm256_srli_epi32(x, n), _mm256_slli_epi32(x, 32 - (n)))

/* Eight compressions side by side: lane j of state[i] / w[t] belongs to message j. */
AVX2 static void compress8(V state[8], V w[64]) {
    for (int t = 16; t < 64; t++) {
        V s0 = XOR(XOR(VROTR(w[t - 15], 7), VROTR(w[t - 15], 18)), _mm256_srli_epi32(w[t - 15], 3));
        V s1 = XOR(XOR(VROTR(w[t - 2], 17), VROTR(w[t - 2], 19)), _mm256_srli_epi32(w[t - 2], 10));
        w[t] = ADD(ADD(w[t - 16], s0), ADD(w[t - 7], s1));
    }
    V a = state[0], b = state[1], c = state[2], d = state[3];
    V e = state[4], f = state[5], g = state[6], h = state[7];
    for (int t = 0; t < 64; t++) {
        V S1 = XOR(XOR(VROTR(e, 6), VROTR(e, 11)), VROTR(e, 25));
        V ch = XOR(_mm256_and_si256(e, f), _mm256_andnot_si256(e, g));
        V t1 = ADD(ADD(ADD(h, S1), ADD(ch, _mm256_set1_epi32((int)K[t]))), w[t]);
        V S0 = XOR(XOR(VROTR(a, 2), VROTR(a, 13)), VROTR(a, 22));
        V maj = XOR(_mm256_and_si256(a, b), _mm256_and_si256(c, XOR(a, b)));
        V t2 = ADD(S0, maj);
        h = g, g = f, f = e, e = ADD(d, t1);
        d = c, c = b, b = a, a = ADD(t1, t2);
    }
    state[0] = ADD(state[0], a), state[1] = ADD(state[1], b), state[2] = ADD(state[2], c);
    state[3] = ADD(state[3], d), state[4] = ADD(state[4], e), state[5] = ADD(state[5], f);
    state[6] = ADD(state[6], g), state[7] = ADD(state[7], h);
}

/* HMAC of eight values of at most 55 bytes each, one per lane. */
AVX2 static void hmac_eight(const Pads *pads, const uint8_t *const msg[8], const int64_t len[8], char *const out[8]) {
    uint8_t blocks[8][64];
    uint32_t words[16][8] __attribute__((aligned(32)));
    V w[64], state[8];
    for (int j = 0; j < 8; j++) {
        uint32_t lane[16];
        memset(blocks[j], 0, 64);
        memcpy(blocks[j], msg[j], len[j]);
        blocks[j][len[j]] = 0x80;
        uint64_t bits = (uint64_t)(64 + len[j]) * 8;
        for (int i = 0; i < 8; i++) blocks[j][63 - i] = (uint8_t)(bits >> (8 * i));
        load_block(lane, blocks[j]);
        for (int t = 0; t < 16; t++) words[t][j] = lane[t];
    }
    for (int t = 0; t < 16; t++) w[t] = _mm256_load_si256((const V *)words[t]);
    for (int i = 0; i < 8; i++) state[i] = _mm256_set1_epi32((int)pads->inner[i]);
    compress8(state, w);
    for (int i = 0; i < 8; i++) w[i] = state[i], state[i] = _mm256_set1_epi32((int)pads->outer[i]);
    w[8] = _mm256_set1_epi32((int)0x80000000u);
    for (int t = 9; t < 15; t++) w[t] = _mm256_setzero_si256();
    w[15] = _mm256_set1_epi32((64 + 32) * 8);
    compress8(state, w);
    uint32_t digest[8][8] __attribute__((aligned(32)));
    for (int i = 0; i < 8; i++) _mm256_store_si256((V *)digest[i], state[i]);
    for (int j = 0; j < 8; j++) {
        uint32_t lane[8];
        for (int i = 0; i < 8; i++) lane[i] = digest[i][j];
        write_hex(out[j], lane);
    }
}
#endif

static int use_avx2(void) {
#ifdef HAVE_AVX2_PATH
    static int supported = -1;
    if (supported < 0) {
        __builtin_cpu_init();
        supported = __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    return supported;
#else
    return 0;
#endif
}

/* The digests of the column's values into c->out; 0 when a view points outside its buffers. */
static int hmac_column(const Pads *pads, const StringColumn *c) {
#ifdef HAVE_AVX2_PATH
    const uint8_t *msg[8];
    int64_t len[8];
    char *dest[8];
    int lanes = 0;
    int wide = use_avx2();
#endif
    for (Py_ssize_t i = 0; i < c->count; i++) {
        int64_t n;
        const uint8_t *value = string_view_bytes(c, c->first + i, &n);
        char *hex = (char *)c->out.buf + 64 * i;
        if (value == NULL) return 0;
#ifdef HAVE_AVX2_PATH
        if (wide && n <= 55) {
            msg[lanes] = value, len[lanes] = n, dest[lanes] = hex;
            if (++lanes == 8) hmac_eight(pads, msg, len, dest), lanes = 0;
            continue;
        }
#endif
        hmac_one(pads, value, n, hex);
    }
#ifdef HAVE_AVX2_PATH
    for (int j = 0; j < lanes; j++) hmac_one(pads, msg[j], len[j], dest[j]);
#endif
    return 1;
}

static PyObject *hex_digests(PyObject *self, PyObject *args) {
    StringColumn c = {0};
    PyObject *data;
    Py_buffer key;
    int ok = 0;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*" STRING_COLUMN_ARGS, &key, STRING_COLUMN_PARSE(c, data))) return NULL;
    if (key.len > 64)
        PyErr_SetString(PyExc_ValueError, "key longer than 64 bytes: hash it first (RFC 2104)");
    else if (string_column_open(&c, data, 64)) {
        Pads pads;
        make_pads(&pads, key.buf, key.len);
        Py_BEGIN_ALLOW_THREADS ok = hmac_column(&pads, &c);
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&key);
    if (PyErr_Occurred()) return string_column_release(&c), NULL;
    return string_column_finish(&c, ok);
}

static PyObject *vectorized(PyObject *self, PyObject *unused) {
    (void)self, (void)unused;
    return PyBool_FromLong(use_avx2());
}

static PyMethodDef methods[] = {
    {"hex_digests", hex_digests, METH_VARARGS,
     "hex_digests(key, views, data, first, count, out): HMAC-SHA256 hex of values first.., into out."},
    {"vectorized", vectorized, METH_NOARGS, "Whether eight values are hashed at once (AVX2)."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_hmac", "Batched HMAC-SHA256.", -1, methods};

PyMODINIT_FUNC PyInit__hmac(void) { return PyModule_Create(&module); }
