/* Checks of a whole column at once: the vectorized form of the busiest validators, and which text
 * values need stripping.
 *
 * Why by hand: on a million rows the Polars expressions of these checks cost 0.38 s (resident ID: an
 * integer cast, a set lookup of the birth day, five chunked lookup tables), 0.15 s (bank card) and
 * 0.07 s (mobile) of one core, two thirds of the quality split's typing. A loop over the bytes does the
 * same checks in a few nanoseconds a value. The scalar Python functions stay the reference: the tests
 * compare both forms on tables of valid and invalid values and on random strings.
 *
 * Each function takes its tables first, then the column as `views, data, first, count`
 * (warehouse/string_views.h: Polars' strings, not copied), and writes one byte a value to `out`: 0
 * when valid, else 1 + the index of the first failing code in the validator's CODES (Python side), in the same priority order as the scalar
 * function. Nulls are not looked at (the caller masks them). Lengths count characters as Python's
 * len() does (UTF-8 continuation bytes are not characters); any non-ASCII character is a bad character.
 * The GIL is released while checking.
 *
 * resident_id_codes(provinces, today, views, data, first, count, out): `provinces` holds 100 bytes,
 *   non-zero for a known two-digit province prefix; `today` is the date as the integer YYYYMMDD.
 *   Codes: bad_length, bad_chars, unknown_region, bad_birth_date, bad_check_char, legacy_15.
 * bank_card_codes(views, data, first, count, out): bad_length, bad_chars, bad_luhn.
 * mobile_codes(segments, views, data, first, count, out): `segments` holds 100 bytes, non-zero for
 *   an issued segment 1xy at index xy. Codes: bad_format, bad_prefix.
 * uscc_codes(views, data, first, count, out): bad_length, bad_chars, bad_org_code, bad_check_char.
 * strip_flags(views, data, first, count, out): 1 where `str.strip_chars()` would change the value (its
 *   first or last character is whitespace), so that only those values are stripped (0.026 s per
 *   million for stripping every value, against ~3 ms for this).
 * folded_hashes(views, data, first, count, out): 8 bytes a value (uint64), a hash of the value with every
 *   character skipped that identifier normalization removes or `str.strip_chars()` may strip, and
 *   full-width ASCII forms and lowercase ASCII letters folded as normalization folds them. Values equal
 *   once normalized (or stripped) hash equal, so a streamed load finds the rows that may repeat a key
 *   from its raw text, without typing every key (quality/stream.py).
 */
#include "string_views.h"

/* Whether some byte of a word is below n (n <= 128), above n (n <= 127), zero, or strictly between m
 * and n (m <= 127, n <= 128): the exact tests of "Bit Twiddling Hacks" (S. E. Anderson). */
#define BYTES(n) (0x0101010101010101ULL * (uint64_t)(n))
#define HAS_LESS(x, n) (((x) - BYTES(n)) & ~(x) & BYTES(128))
#define HAS_MORE(x, n) ((((x) + BYTES(127 - (n))) | (x)) & BYTES(128))
#define HAS_ZERO(x) HAS_LESS(x, 1)
#define HAS_BETWEEN(x, m, n) \
    (((BYTES(127 + (n)) - ((x) & BYTES(127))) & ~(x) & (((x) & BYTES(127)) + BYTES(127 - (m)))) & BYTES(128))
#define EVEN_BYTES 0x00FF00FF00FF00FFULL

/* Whether all 8 bytes of a word are ASCII digits. */
static inline int digit_word(uint64_t w) { return !(HAS_LESS(w, '0') | HAS_MORE(w, '9')); }

static int64_t chars(const uint8_t *s, int64_t n) {
    int64_t count = 0;
    for (int64_t i = 0; i < n; i++) count += (s[i] & 0xC0) != 0x80;
    return count;
}

static int digits(const uint8_t *s, int64_t n) {
    for (int64_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

static int number(const uint8_t *s, int n) {
    int value = 0;
    for (int i = 0; i < n; i++) value = 10 * value + (s[i] - '0');
    return value;
}

/* --- resident ID (GB 11643) ------------------------------------------------------------------------ */
enum { ID_BAD_LENGTH = 1, ID_BAD_CHARS, ID_UNKNOWN_REGION, ID_BAD_BIRTH_DATE, ID_BAD_CHECK_CHAR, ID_LEGACY_15 };
static const int ID_WEIGHTS[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char ID_CHECK_CHARS[] = "10X98765432";

static int is_day(int year, int month, int day) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1) return 0;
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= days[month - 1] + (month == 2 && leap);
}

/* 1 when the first `n` bytes are ASCII digits; adds their weighted sum to *total. Branch-free. */
static int weighted_digits(const uint8_t *s, int n, const int *weights, int *total) {
    unsigned bad = 0;
    for (int i = 0; i < n; i++) {
        unsigned d = (unsigned)s[i] - '0';
        bad |= d > 9;
        *total += (int)(d & 15) * weights[i];
    }
    return !bad;
}

static uint8_t resident_id_code(const uint8_t *s, int64_t n, const uint8_t *provinces, int64_t today) {
    int total = 0;
    int shaped = n == 18 ? weighted_digits(s, 17, ID_WEIGHTS, &total) && (s[17] == 'X' || (s[17] >= '0' && s[17] <= '9'))
                 : n == 15 ? weighted_digits(s, 15, ID_WEIGHTS, &total)
                           : 0;
    if (!shaped) {
        int64_t length = chars(s, n);
        return length == 15 || length == 18 ? ID_BAD_CHARS : ID_BAD_LENGTH;
    }
    if (!provinces[number(s, 2)]) return ID_UNKNOWN_REGION;
    int year = n == 18 ? number(s + 6, 4) : 1900 + number(s + 6, 2);
    const uint8_t *md = s + (n == 18 ? 10 : 8);
    int month = number(md, 2), day = number(md + 2, 2);
    int64_t born = (int64_t)year * 10000 + month * 100 + day;
    if (!is_day(year, month, day) || born < 19000101 || born > today) return ID_BAD_BIRTH_DATE;
    if (n == 15) return ID_LEGACY_15;
    return ID_CHECK_CHARS[total % 11] == s[17] ? 0 : ID_BAD_CHECK_CHAR;
}

/* --- bank card (ISO/IEC 7812, Luhn) ---------------------------------------------------------------- */
enum { CARD_BAD_LENGTH = 1, CARD_BAD_CHARS, CARD_BAD_LUHN };

/* The Luhn shares of 8 digits (a little-endian word of ASCII digits) whose last is the rightmost or
 * an even place from it: the even bytes doubled (2d, less 9 from d = 5 on, when (d + 3) has bit 3),
 * the odd ones plain, summed across the word (at most 8 x 18). */
static inline int luhn_word(uint64_t w) {
    uint64_t d = w - BYTES('0');
    uint64_t doubled = d & EVEN_BYTES, over = ((doubled + BYTES(3)) >> 3) & BYTES(1) & EVEN_BYTES;
    uint64_t shares = (d & ~EVEN_BYTES) + 2 * doubled - 9 * over;
    return (int)((shares * BYTES(1)) >> 56);
}

static uint8_t bank_card_code(const uint8_t *s, int64_t n) {
    /* A leading digit's share by its place from the right: plain, doubled (the digits of 2d added). */
    static const int SHARE[2][16] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {0, 2, 4, 6, 8, 1, 3, 5, 7, 9}};
    unsigned bad = n < 16 || n > 19;
    int total = 0;
    if (!bad) { /* the last 16 digits as two words, the 0-3 before them one at a time */
        uint64_t last, before;
        memcpy(&last, s + n - 8, 8), memcpy(&before, s + n - 16, 8);
        bad = !(digit_word(last) && digit_word(before));
        total = luhn_word(last) + luhn_word(before);
        for (int64_t i = 0; i < n - 16; i++) {
            unsigned d = (unsigned)s[i] - '0';
            bad |= d > 9;
            total += SHARE[(n - 1 - i) & 1][d & 15];
        }
    }
    if (bad) {
        int64_t length = chars(s, n);
        return length >= 16 && length <= 19 ? CARD_BAD_CHARS : CARD_BAD_LENGTH;
    }
    return total % 10 ? CARD_BAD_LUHN : 0;
}

/* --- mobile number --------------------------------------------------------------------------------- */
enum { MOBILE_BAD_FORMAT = 1, MOBILE_BAD_PREFIX };

/* The 11 digits after an optional +86 / 0086 / 86, or NULL when the value has no such shape. */
static const uint8_t *mobile_body(const uint8_t *s, int64_t n) {
    static const char *prefixes[] = {"", "", "86", "+86", "0086"}; /* by length - 11 */
    if (n < 11 || n > 15 || n == 12) return NULL;
    const char *prefix = prefixes[n - 11];
    for (int i = 0; prefix[i]; i++)
        if (s[i] != (uint8_t)prefix[i]) return NULL;
    const uint8_t *body = s + (n - 11);
    return body[0] == '1' && digits(body, 11) ? body : NULL;
}

static uint8_t mobile_code(const uint8_t *s, int64_t n, const uint8_t *segments) {
    const uint8_t *body = mobile_body(s, n);
    if (body == NULL) return MOBILE_BAD_FORMAT;
    return segments[number(body + 1, 2)] ? 0 : MOBILE_BAD_PREFIX;
}

/* --- unified social credit code (GB 32100, with the GB 11714 organization code inside) --------------- */
enum { USCC_BAD_LENGTH = 1, USCC_BAD_CHARS, USCC_BAD_ORG_CODE, USCC_BAD_CHECK_CHAR };
static const int USCC_WEIGHTS[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
static const int ORG_WEIGHTS[8] = {3, 7, 9, 10, 5, 8, 4, 2};
static const char ORG_CHECK_CHARS[] = "0123456789X";

/* Value of each byte in the credit-code alphabet 0-9 A-H J-N P-R T U W-Y (-1 outside it); set at import. */
static int8_t USCC_VALUES[256];

static void set_uscc_values(void) {
    static const char ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    memset(USCC_VALUES, -1, sizeof USCC_VALUES);
    for (int i = 0; ALPHABET[i]; i++) USCC_VALUES[(uint8_t)ALPHABET[i]] = (int8_t)i;
}

/* GB 11714 value of an organization-code character: digits and A-Z as base-36 digits. */
static int org_value(uint8_t c) { return c <= '9' ? c - '0' : c - 'A' + 10; }

static uint8_t uscc_code(const uint8_t *s, int64_t n, const int8_t *values) {
    if (n != 18) return chars(s, n) == 18 ? USCC_BAD_CHARS : USCC_BAD_LENGTH;
    int total = 0, org = 0, bad = 0;
    for (int i = 0; i < 18; i++) {
        int v = values[s[i]];
        bad |= v;  /* negative once any character is outside the alphabet */
        total += v * (i < 17 ? USCC_WEIGHTS[i] : 1);
    }
    if (bad < 0) return chars(s, n) == 18 ? USCC_BAD_CHARS : USCC_BAD_LENGTH;
    for (int i = 0; i < 8; i++) org += org_value(s[8 + i]) * ORG_WEIGHTS[i];
    if (ORG_CHECK_CHARS[(11 - org % 11) % 11] != s[16]) return USCC_BAD_ORG_CODE;
    return total % 31 ? USCC_BAD_CHECK_CHAR : 0;
}

/* --- text that needs stripping ---------------------------------------------------------------------- */
/* Whitespace as Polars' `str.strip_chars()` strips it (Rust's char::is_whitespace, Unicode White_Space). */
static int is_whitespace(uint32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* The code point of the UTF-8 character starting at s (n bytes available); 0xFFFFFFFF if cut short. */
static uint32_t decode(const uint8_t *s, int64_t n) {
    int width = s[0] < 0x80 ? 1 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
    if (width > n) return 0xFFFFFFFF;
    if (width == 1) return s[0];
    uint32_t c = s[0] & (0x7F >> width);
    for (int k = 1; k < width; k++) c = (c << 6) | (s[k] & 0x3F);
    return c;
}

/* Bytes that can start (EDGE_FIRST) or end (EDGE_LAST) a whitespace character in UTF-8: ASCII
 * whitespace, the lead bytes C2 E1 E2 E3, the last bytes of U+0085 U+00A0 U+1680 U+2000-U+200A U+2028
 * U+2029 U+202F U+205F U+3000. A value whose first and last bytes are neither is not decoded. */
static uint8_t EDGE_FIRST[256], EDGE_LAST[256];

static void set_edges(void) {
    static const uint8_t ascii[] = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20};
    static const uint8_t leads[] = {0xC2, 0xE1, 0xE2, 0xE3};
    static const uint8_t lasts[] = {0x85, 0xA0, 0x80, 0x81, 0x82, 0x83, 0x84, 0x86, 0x87, 0x88, 0x89, 0x8A, 0xA8, 0xA9, 0xAF, 0x9F};
    for (size_t i = 0; i < sizeof ascii; i++) EDGE_FIRST[ascii[i]] = EDGE_LAST[ascii[i]] = 1;
    for (size_t i = 0; i < sizeof leads; i++) EDGE_FIRST[leads[i]] = 1;
    for (size_t i = 0; i < sizeof lasts; i++) EDGE_LAST[lasts[i]] = 1;
}

/* Whether the value may end in a whitespace character: its last byte is one of EDGE_LAST, after the
 * lead byte such a character has (the last byte of 险, E9 99 A9, is that of U+2029). */
static int may_end_blank(const uint8_t *s, int64_t n) {
    uint8_t b = s[n - 1];
    if (!EDGE_LAST[b]) return 0;
    return b < 0x80 || (n >= 2 && s[n - 2] == 0xC2) || (n >= 3 && s[n - 3] >= 0xE1 && s[n - 3] <= 0xE3);
}

/* 1 when the first or the last character is whitespace: `str.strip_chars()` would change the value. */
static uint8_t strip_flag(const uint8_t *s, int64_t n) {
    if (n == 0 || !(EDGE_FIRST[s[0]] || may_end_blank(s, n))) return 0;
    if (is_whitespace(decode(s, n))) return 1;
    int64_t last = n - 1;
    while (last > 0 && n - last < 4 && (s[last] & 0xC0) == 0x80) last--;
    return (uint8_t)is_whitespace(decode(s + last, n - last));
}

/* --- a hash that normalization and stripping do not change ---------------------------------------- */
/* Characters identifier normalization removes (quality/validators/normalize.py: spaces, zero-width
 * characters, dashes, middle dots) or `str.strip_chars()` may strip (whitespace). */
static int is_skipped(uint32_t c) {
    return is_whitespace(c) || c == '-' || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF ||
           (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE58 || c == 0xFE63 || c == 0xFF0D || c == 0xB7 ||
           c == 0x2022 || c == 0x30FB || c == 0xFF65;
}

/* What becomes of each ASCII byte: 0 when skipped (controls, space, dash: skipping more than
 * normalization does only makes more values hash equal), else the byte, lowercase letters uppercased. */
static uint8_t ASCII_FOLD[128];

static void set_ascii_fold(void) {
    for (int b = 0; b < 128; b++) ASCII_FOLD[b] = b <= 0x20 || b == '-' ? 0 : b >= 'a' && b <= 'z' ? b - 32 : b;
}

/* 1 when the fold keeps each of the 8 bytes of `w` as it is: ASCII above 0x20 but dashes and lowercase
 * letters, UTF-8 continuation bytes, and lead bytes of no skipped or folded character. Those all start
 * with C2 (U+0080-U+00BF), E1 (U+1000-U+1FFF), E2 (U+2000-U+2FFF), E3 (U+3000-U+3FFF) or EF
 * (U+F000-U+FFFF); continuation bytes of a word's first character go as they are, their lead byte was. */
static inline int plain_word(uint64_t w) {
    uint64_t controls = HAS_LESS(w, 0x21), dashes = HAS_ZERO(w ^ BYTES('-'));
    uint64_t lower = HAS_BETWEEN(w, 'a' - 1, 'z' + 1);
    if (controls | dashes | lower) return 0;
    if (!(w & BYTES(0x80))) return 1; /* ASCII only (IDs, codes): no lead byte to look for */
    uint64_t leads = HAS_ZERO(w ^ BYTES(0xC2)) | HAS_ZERO(w ^ BYTES(0xE1)) | HAS_ZERO(w ^ BYTES(0xE2)) |
                     HAS_ZERO(w ^ BYTES(0xE3)) | HAS_ZERO(w ^ BYTES(0xEF));
    return !leads;
}

static inline uint64_t mix(uint64_t h) {
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
}

/* Adds the first `n` bytes of `b` (a multiple of 8) to the hash `h`, a little-endian word at a time. */
static inline uint64_t add_words(uint64_t h, const uint8_t *b, int n) {
    for (int j = 0; j < n; j += 8) {
        uint64_t w;
        memcpy(&w, b + j, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h = (h << 31) | (h >> 33);
    }
    return h;
}

#define FOLD_SEED 0x243F6A8885A308D3ULL

/* `folded_hash` of a value that folds to itself (every byte passes `plain_word`; the last partial
 * word is padded with 'A' for the test), hashed straight from its bytes: the same words and tail the
 * copy in `folded_hash` would give. *plain is 0, and the result meaningless, when some byte folds.
 * 16 ns an ID against 30 for the copy (a C benchmark of 500k values). */
static inline uint64_t plain_hash(const uint8_t *s, int64_t n, int *plain) {
    uint64_t h = FOLD_SEED, w, tail = 0, pad = BYTES('A');
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        if (!plain_word(w)) return *plain = 0, 0;
        h = add_words(h, s + i, 8);
    }
    for (int64_t j = i; j < n; j++) { /* not memcpy: a call, for a size known only here */
        tail |= (uint64_t)s[j] << 8 * (j - i);
        pad <<= 8;
    }
    *plain = plain_word(tail | pad);
    return mix(h ^ tail ^ ((uint64_t)n << 48));
}

/* The value's folded text, hashed: ASCII bytes through ASCII_FOLD, full-width ASCII forms as the ASCII
 * byte, skipped characters dropped, any other character as its UTF-8 bytes. The folded bytes collect
 * in `buf` and are hashed 64 at a time, so the hash depends on the folded text only. Fast paths: a value
 * that folds to itself hashed from its bytes (`plain_hash`), 8 bytes that fold to themselves at once
 * (`plain_word`), and CJK ideographs (lead bytes E4-E9: U+4000-U+9FFF, none skipped or folded) copied
 * without decoding. */
static uint64_t folded_hash(const uint8_t *s, int64_t n) {
    int plain;
    uint64_t hash = plain_hash(s, n, &plain);
    if (plain) return hash;
    uint8_t buf[72] = {0};
    int k = 0;
    uint64_t h = FOLD_SEED, total = 0;
    for (int64_t i = 0; i < n;) {
        uint8_t b = s[i];
        uint64_t w;
        if (i + 8 <= n && (memcpy(&w, s + i, 8), plain_word(w))) {
            memcpy(buf + k, &w, 8);
            k += 8, i += 8;
        } else if (b < 0x80) {
            uint8_t f = ASCII_FOLD[b]; /* a local: `buf` may alias the table, so buf[k] would be read back */
            buf[k] = f;
            k += f != 0, i++;
        } else if (b < 0xC0) { /* the rest of a character a plain word began: kept as it is */
            buf[k++] = b, i++;
        } else if (b >= 0xE4 && b <= 0xE9 && i + 3 <= n) {
            buf[k] = b, buf[k + 1] = s[i + 1], buf[k + 2] = s[i + 2];
            k += 3, i += 3;
        } else {
            int width = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
            uint32_t c = decode(s + i, n - i);
            if (c >= 0xFF01 && c <= 0xFF5E && c != 0xFF0D) {
                uint8_t f = ASCII_FOLD[c - 0xFEE0];
                buf[k] = f;
                k += f != 0;
            } else if (!is_skipped(c)) {
                for (int j = 0; j < width && i + j < n; j++) buf[k++] = s[i + j];
            }
            i += width;
        }
        if (k >= 64) {
            h = add_words(h, buf, 64);
            memmove(buf, buf + 64, k - 64);
            k -= 64, total += 64;
        }
    }
    int whole = k & ~7;
    uint64_t tail;
    h = add_words(h, buf, whole);
    memcpy(&tail, buf + whole, 8); /* fixed size: inlined; the bytes past k are masked off */
    tail &= (1ULL << (8 * (k - whole))) - 1;
    return mix(h ^ tail ^ ((total + k) << 48));
}

/* --- the Python side ------------------------------------------------------------------------------- */
/* Runs `expression` (reading `s`, `n`) for every value into `out`, an array of `type`; `ok` is 0 when a
 * view is out of bounds. */
#define EACH_VALUE(c, ok, type, expression)                                \
    do {                                                                   \
        type *out = (type *)(c).out.buf;                                   \
        ok = 1;                                                            \
        for (Py_ssize_t i = 0; i < (c).count && ok; i++) {                 \
            int64_t n;                                                     \
            const uint8_t *s = string_view_bytes(&(c), (c).first + i, &n); \
            if (s == NULL)                                                 \
                ok = 0;                                                    \
            else                                                           \
                out[i] = (expression);                                     \
        }                                                                  \
    } while (0)

static PyObject *resident_id_codes(PyObject *self, PyObject *args) {
    StringColumn c = {0};
    PyObject *data;
    Py_buffer provinces;
    long long today;
    int ok = 0;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*L" STRING_COLUMN_ARGS, &provinces, &today, STRING_COLUMN_PARSE(c, data)))
        return NULL;
    if (provinces.len != 100)
        PyErr_SetString(PyExc_ValueError, "provinces: one byte for each prefix 00-99");
    else if (string_column_open(&c, data, 1)) {
        const uint8_t *known = provinces.buf;
        Py_BEGIN_ALLOW_THREADS EACH_VALUE(c, ok, uint8_t, resident_id_code(s, n, known, today));
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&provinces);
    if (PyErr_Occurred()) return string_column_release(&c), NULL;
    return string_column_finish(&c, ok);
}

/* A module function whose only arguments are the column: runs `expression` (reading `s`, `n`) on it,
 * one `type` a value. */
#define PLAIN_CHECK(name, type, expression)                                                         \
    static PyObject *name(PyObject *self, PyObject *args) {                                         \
        StringColumn c = {0};                                                                       \
        PyObject *data;                                                                             \
        int ok = 0;                                                                                 \
        (void)self;                                                                                 \
        if (!PyArg_ParseTuple(args, STRING_COLUMN_ARGS, STRING_COLUMN_PARSE(c, data))) return NULL; \
        if (string_column_open(&c, data, sizeof(type))) {                                           \
            Py_BEGIN_ALLOW_THREADS EACH_VALUE(c, ok, type, expression);                             \
            Py_END_ALLOW_THREADS                                                                    \
        }                                                                                           \
        if (PyErr_Occurred()) return string_column_release(&c), NULL;                               \
        return string_column_finish(&c, ok);                                                        \
    }

PLAIN_CHECK(bank_card_codes, uint8_t, bank_card_code(s, n))
PLAIN_CHECK(uscc_codes, uint8_t, uscc_code(s, n, USCC_VALUES))
PLAIN_CHECK(strip_flags, uint8_t, strip_flag(s, n))
PLAIN_CHECK(folded_hashes, uint64_t, folded_hash(s, n))

static PyObject *mobile_codes(PyObject *self, PyObject *args) {
    StringColumn c = {0};
    PyObject *data;
    Py_buffer segments;
    int ok = 0;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*" STRING_COLUMN_ARGS, &segments, STRING_COLUMN_PARSE(c, data))) return NULL;
    if (segments.len != 100)
        PyErr_SetString(PyExc_ValueError, "segments: one byte for each segment 100-199");
    else if (string_column_open(&c, data, 1)) {
        const uint8_t *issued = segments.buf;
        Py_BEGIN_ALLOW_THREADS EACH_VALUE(c, ok, uint8_t, mobile_code(s, n, issued));
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&segments);
    if (PyErr_Occurred()) return string_column_release(&c), NULL;
    return string_column_finish(&c, ok);
}

static PyMethodDef methods[] = {
    {"resident_id_codes", resident_id_codes, METH_VARARGS,
     "resident_id_codes(provinces, today, views, data, first, count, out): one code byte a value."},
    {"bank_card_codes", bank_card_codes, METH_VARARGS,
     "bank_card_codes(views, data, first, count, out): one code byte a value."},
    {"uscc_codes", uscc_codes, METH_VARARGS, "uscc_codes(views, data, first, count, out): one code byte a value."},
    {"strip_flags", strip_flags, METH_VARARGS,
     "strip_flags(views, data, first, count, out): 1 where the first or last character is whitespace."},
    {"folded_hashes", folded_hashes, METH_VARARGS,
     "folded_hashes(views, data, first, count, out): a uint64 a value, unchanged by normalization and stripping."},
    {"mobile_codes", mobile_codes, METH_VARARGS,
     "mobile_codes(segments, views, data, first, count, out): one code byte a value."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_checks", "Identifier checks of whole columns.", -1,
                                    methods};

PyMODINIT_FUNC PyInit__checks(void) {
    set_uscc_values();
    set_ascii_fold();
    set_edges();
    return PyModule_Create(&module);
}
