/* ctlex._native_tm: the importing process's share of a TM import, in C.
 *
 * 1. unit_hashes(rows, skeys, tkeys): each unit's dkey (BLAKE2b-64 of "skey\0tkey") and ukey
 *    (BLAKE2b-64 of "source\0target\0source_lang\0target_lang\0" + ("" or "#" + id)) as signed
 *    64-bit integers, exactly what ctlex.tm.keys.unit_hashes computes with hashlib (the values
 *    are stored: a store built either way is the same).  BLAKE2b is written out here (RFC 7693;
 *    unkeyed, 8-byte digest) so a unit costs no Python objects.
 * 2. WordTable(numbers).number(keys): the word numbers of a batch's search keys (int32 bytes),
 *    the words per key (int32 bytes) and the words numbered for the first time, in order of
 *    first sight; ``numbers`` (a dict) learns them, numbered from its size on.  What
 *    ctlex.tm.postings._number_side computes (words split as str.split() splits them), over a
 *    hash table of its own mirroring the dict: a word seen before costs no str object.
 * 3. chunk_rows(tokens, ids, starts): the postings rows (token, n, packed ids) of sorted ids, as
 *    ctlex.tm.postings.postings_rows packs them.
 *
 * Tests check each against the pure-Python path (tests/test_native_tm.py).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* BLAKE2b, unkeyed, 8-byte digest                                                            */
/* ------------------------------------------------------------------------------------------ */

static const uint64_t IV[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
    0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

static const uint8_t SIGMA[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
};

static inline uint64_t rotr64(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

static inline uint64_t load64(const uint8_t *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

#define G(a, b, c, d, x, y)                  \
    do {                                     \
        v[a] = v[a] + v[b] + (x);            \
        v[d] = rotr64(v[d] ^ v[a], 32);      \
        v[c] = v[c] + v[d];                  \
        v[b] = rotr64(v[b] ^ v[c], 24);      \
        v[a] = v[a] + v[b] + (y);            \
        v[d] = rotr64(v[d] ^ v[a], 16);      \
        v[c] = v[c] + v[d];                  \
        v[b] = rotr64(v[b] ^ v[c], 63);      \
    } while (0)

static void compress(uint64_t h[8], const uint8_t block[128], uint64_t t, int last)
{
    uint64_t m[16], v[16];
    for (int i = 0; i < 16; i++)
        m[i] = load64(block + 8 * i);
    for (int i = 0; i < 8; i++) {
        v[i] = h[i];
        v[i + 8] = IV[i];
    }
    v[12] ^= t; /* the counter's high word stays 0: no text here is 2^64 bytes long */
    if (last)
        v[14] = ~v[14];
    for (int r = 0; r < 12; r++) {
        const uint8_t *s = SIGMA[r];
        G(0, 4, 8, 12, m[s[0]], m[s[1]]);
        G(1, 5, 9, 13, m[s[2]], m[s[3]]);
        G(2, 6, 10, 14, m[s[4]], m[s[5]]);
        G(3, 7, 11, 15, m[s[6]], m[s[7]]);
        G(0, 5, 10, 15, m[s[8]], m[s[9]]);
        G(1, 6, 11, 12, m[s[10]], m[s[11]]);
        G(2, 7, 8, 13, m[s[12]], m[s[13]]);
        G(3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (int i = 0; i < 8; i++)
        h[i] ^= v[i] ^ v[i + 8];
}

/* An incremental BLAKE2b-64: the message comes in pieces (the fields and their separators). */
typedef struct {
    uint64_t h[8];
    uint8_t buf[128];
    size_t fill;  /* bytes in buf */
    uint64_t t;   /* bytes compressed so far */
} Hash;

static void hash_init(Hash *s)
{
    memcpy(s->h, IV, sizeof IV);
    s->h[0] ^= 0x01010000ULL ^ 8; /* digest length 8, no key */
    s->fill = 0;
    s->t = 0;
}

static void hash_update(Hash *s, const uint8_t *p, size_t n)
{
    while (n > 0) {
        if (s->fill == 128) { /* a full block, and more follows: not the last */
            s->t += 128;
            compress(s->h, s->buf, s->t, 0);
            s->fill = 0;
        }
        size_t take = 128 - s->fill;
        if (take > n)
            take = n;
        memcpy(s->buf + s->fill, p, take);
        s->fill += take;
        p += take;
        n -= take;
    }
}

static int64_t hash_final(Hash *s)
{
    s->t += s->fill;
    memset(s->buf + s->fill, 0, 128 - s->fill);
    compress(s->h, s->buf, s->t, 1);
    return (int64_t)s->h[0]; /* the digest's 8 bytes, little-endian, as a signed integer */
}

/* Feed a str's UTF-8 (strict: a lone surrogate raises, as str.encode() does); any other object
 * as str() of it, as the f-string of the Python path formats it. */
static int hash_str(Hash *s, PyObject *o)
{
    PyObject *tmp = NULL;
    if (!PyUnicode_CheckExact(o)) {
        o = tmp = PyObject_Format(o, NULL);
        if (o == NULL)
            return -1;
    }
    Py_ssize_t n;
    const char *u = PyUnicode_AsUTF8AndSize(o, &n);
    if (u != NULL)
        hash_update(s, (const uint8_t *)u, (size_t)n);
    Py_XDECREF(tmp);
    return u == NULL ? -1 : 0;
}

static const uint8_t NUL = 0;

static PyObject *
unit_hashes(PyObject *self, PyObject *args)
{
    PyObject *rows, *skeys, *tkeys;
    if (!PyArg_ParseTuple(args, "OO!O!", &rows, &PyList_Type, &skeys, &PyList_Type, &tkeys))
        return NULL;
    PyObject *seq = PySequence_Fast(rows, "rows must be a sequence");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (PyList_GET_SIZE(skeys) != n || PyList_GET_SIZE(tkeys) != n) {
        Py_DECREF(seq);
        PyErr_SetString(PyExc_ValueError, "rows, skeys and tkeys differ in length");
        return NULL;
    }
    PyObject *dk = PyList_New(n), *uk = PyList_New(n);
    if (dk == NULL || uk == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        Hash s;
        hash_init(&s);
        if (hash_str(&s, PyList_GET_ITEM(skeys, i)) < 0)
            goto fail;
        hash_update(&s, &NUL, 1);
        if (hash_str(&s, PyList_GET_ITEM(tkeys, i)) < 0)
            goto fail;
        PyObject *d = PyLong_FromLongLong(hash_final(&s));
        if (d == NULL)
            goto fail;
        PyList_SET_ITEM(dk, i, d);

        PyObject *row = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyTuple_Check(row) || PyTuple_GET_SIZE(row) < 5) {
            PyErr_SetString(PyExc_TypeError, "a row is a tuple of at least 5 fields (source, target, languages, id)");
            goto fail;
        }
        hash_init(&s);
        for (int f = 0; f < 4; f++) {
            if (hash_str(&s, PyTuple_GET_ITEM(row, f)) < 0)
                goto fail;
            hash_update(&s, &NUL, 1);
        }
        PyObject *uid = PyTuple_GET_ITEM(row, 4);
        if (uid != Py_None) {
            hash_update(&s, (const uint8_t *)"#", 1);
            if (hash_str(&s, uid) < 0)
                goto fail;
        }
        PyObject *u = PyLong_FromLongLong(hash_final(&s));
        if (u == NULL)
            goto fail;
        PyList_SET_ITEM(uk, i, u);
    }
    Py_DECREF(seq);
    return Py_BuildValue("(NN)", dk, uk);
fail:
    Py_DECREF(seq);
    Py_XDECREF(dk);
    Py_XDECREF(uk);
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* word numbering: WordTable                                                                  */
/* ------------------------------------------------------------------------------------------ */

typedef struct { /* a growing int32 array */
    int32_t *v;
    Py_ssize_t n, cap;
} Ints;

static int ints_push(Ints *a, Py_ssize_t x)
{
    if (x > INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "more than 2^31 distinct words");
        return -1;
    }
    if (a->n == a->cap) {
        Py_ssize_t cap = a->cap ? 2 * a->cap : 4096;
        int32_t *v = PyMem_Realloc(a->v, (size_t)cap * sizeof(int32_t));
        if (v == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = (int32_t)x;
    return 0;
}

/* A dict's words and numbers mirrored in an open-addressing table hashed over code points, so a
 * known word is found straight from the key's characters: only a new word becomes a str (added
 * to the dict, as ctlex.tm.postings._number_side adds it).  The dict stays the record: when its
 * size is not the table's (someone else added words), the table is built again from it. */

typedef struct {
    uint64_t hash;  /* 0: empty */
    int32_t number;
    PyObject *word; /* a reference of the table's own */
} Slot;

typedef struct {
    PyObject_HEAD
    PyObject *numbers; /* the dict */
    Slot *slots;
    Py_ssize_t cap, used;
} WordTable;

static inline uint64_t word_hash(int kind, const void *data, Py_ssize_t a, Py_ssize_t b)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (Py_ssize_t i = a; i < b; i++) {
        h ^= PyUnicode_READ(kind, data, i);
        h *= 0x100000001b3ULL;
    }
    return h | 1; /* never 0 (empty) */
}

static inline int same_word(PyObject *w, int kind, const void *data, Py_ssize_t a, Py_ssize_t b)
{
    Py_ssize_t n = b - a;
    if (PyUnicode_GET_LENGTH(w) != n)
        return 0;
    int wk = PyUnicode_KIND(w);
    const void *wd = PyUnicode_DATA(w);
    if (wk == kind)
        return memcmp(wd, (const char *)data + a * kind, (size_t)(n * kind)) == 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (PyUnicode_READ(wk, wd, i) != PyUnicode_READ(kind, data, a + i))
            return 0;
    return 1;
}

static void table_clear(WordTable *t)
{
    if (t->slots != NULL) {
        for (Py_ssize_t i = 0; i < t->cap; i++)
            Py_XDECREF(t->slots[i].word);
        PyMem_Free(t->slots);
    }
    t->slots = NULL;
    t->cap = t->used = 0;
}

static void table_put(WordTable *t, uint64_t h, int32_t number, PyObject *word) /* room is there */
{
    Py_ssize_t mask = t->cap - 1, i = (Py_ssize_t)(h & (uint64_t)mask);
    while (t->slots[i].hash != 0)
        i = (i + 1) & mask;
    t->slots[i].hash = h;
    t->slots[i].number = number;
    Py_INCREF(word);
    t->slots[i].word = word;
    t->used++;
}

static int table_grow(WordTable *t, Py_ssize_t need)
{
    Py_ssize_t cap = t->cap ? t->cap : 1024;
    while (cap < 2 * need)
        cap *= 2;
    if (cap == t->cap)
        return 0;
    Slot *old = t->slots;
    Py_ssize_t ocap = t->cap;
    t->slots = PyMem_Calloc((size_t)cap, sizeof(Slot));
    if (t->slots == NULL) {
        t->slots = old;
        PyErr_NoMemory();
        return -1;
    }
    t->cap = cap;
    t->used = 0;
    for (Py_ssize_t i = 0; i < ocap; i++)
        if (old[i].hash != 0) {
            table_put(t, old[i].hash, old[i].number, old[i].word);
            Py_DECREF(old[i].word);
        }
    PyMem_Free(old);
    return 0;
}

/* (Re)build the table from the dict (str keys, int values). */
static int table_load(WordTable *t)
{
    table_clear(t);
    if (table_grow(t, PyDict_GET_SIZE(t->numbers) + 1) < 0)
        return -1;
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    while (PyDict_Next(t->numbers, &pos, &k, &v)) {
        if (!PyUnicode_Check(k)) {
            PyErr_SetString(PyExc_TypeError, "the word numbers' keys must be str");
            return -1;
        }
        long x = PyLong_AsLong(v);
        if (x == -1 && PyErr_Occurred())
            return -1;
        if (x < 0 || x > INT32_MAX) {
            PyErr_SetString(PyExc_OverflowError, "a word number outside 0..2^31");
            return -1;
        }
        table_put(t, word_hash(PyUnicode_KIND(k), PyUnicode_DATA(k), 0, PyUnicode_GET_LENGTH(k)), (int32_t)x, k);
    }
    return 0;
}

static int
wordtable_init(WordTable *t, PyObject *args, PyObject *kw)
{
    PyObject *numbers;
    if (!PyArg_ParseTuple(args, "O!", &PyDict_Type, &numbers))
        return -1;
    Py_INCREF(numbers);
    Py_XSETREF(t->numbers, numbers);
    return table_load(t);
}

static void
wordtable_dealloc(WordTable *t)
{
    table_clear(t);
    Py_XDECREF(t->numbers);
    Py_TYPE(t)->tp_free((PyObject *)t);
}

/* The number of the word key[a:b], numbering it (and telling ``fresh``) if it is new; -1 on error. */
static Py_ssize_t table_number(WordTable *t, PyObject *key, int kind, const void *data, Py_ssize_t a, Py_ssize_t b,
                               PyObject *fresh)
{
    uint64_t h = word_hash(kind, data, a, b);
    Py_ssize_t mask = t->cap - 1, i = (Py_ssize_t)(h & (uint64_t)mask);
    for (; t->slots[i].hash != 0; i = (i + 1) & mask)
        if (t->slots[i].hash == h && same_word(t->slots[i].word, kind, data, a, b))
            return t->slots[i].number;
    Py_ssize_t x = PyDict_GET_SIZE(t->numbers);
    PyObject *w = PyUnicode_Substring(key, a, b);
    if (w == NULL)
        return -1;
    PyObject *nx = PyLong_FromSsize_t(x);
    int bad = nx == NULL || PyDict_SetItem(t->numbers, w, nx) < 0 || PyList_Append(fresh, w) < 0;
    Py_XDECREF(nx);
    if (!bad && x > INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "more than 2^31 distinct words");
        bad = 1;
    }
    if (!bad && t->used + 1 > t->cap / 2 && table_grow(t, t->used + 1) < 0)
        bad = 1;
    if (!bad)
        table_put(t, h, (int32_t)x, w);
    Py_DECREF(w);
    return bad ? -1 : x;
}

static PyObject *
wordtable_number(WordTable *t, PyObject *keys)
{
    if (PyDict_GET_SIZE(t->numbers) != t->used && table_load(t) < 0) /* words added elsewhere */
        return NULL;
    PyObject *seq = PySequence_Fast(keys, "keys must be a sequence");
    if (seq == NULL)
        return NULL;
    Ints got = {NULL, 0, 0}, counts = {NULL, 0, 0};
    PyObject *fresh = PyList_New(0), *out = NULL;
    if (fresh == NULL)
        goto done;
    Py_ssize_t nkeys = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t k = 0; k < nkeys; k++) {
        PyObject *key = PySequence_Fast_GET_ITEM(seq, k);
        if (!PyUnicode_Check(key)) {
            PyErr_Format(PyExc_TypeError, "a key is a str, not %.100s", Py_TYPE(key)->tp_name);
            goto done;
        }
        int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        Py_ssize_t n = PyUnicode_GET_LENGTH(key), i = 0, words = 0;
        while (i < n) { /* words as str.split() finds them */
            while (i < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)))
                i++;
            if (i == n)
                break;
            Py_ssize_t a = i;
            while (i < n && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)))
                i++;
            Py_ssize_t x = table_number(t, key, kind, data, a, i, fresh);
            if (x < 0 || ints_push(&got, x) < 0)
                goto done;
            words++;
        }
        if (ints_push(&counts, words) < 0)
            goto done;
    }
    out = Py_BuildValue("(y#y#O)", got.v ? (const char *)got.v : "", got.n * (Py_ssize_t)sizeof(int32_t),
                        counts.v ? (const char *)counts.v : "", counts.n * (Py_ssize_t)sizeof(int32_t), fresh);
done:
    Py_DECREF(seq);
    Py_XDECREF(fresh);
    PyMem_Free(got.v);
    PyMem_Free(counts.v);
    return out;
}

static PyMethodDef wordtable_methods[] = {
    {"number", (PyCFunction)wordtable_number, METH_O,
     "number(keys) -> (int32 word numbers, int32 words per key, new words); the dict learns the new words"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject WordTableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ctlex._native_tm.WordTable",
    .tp_basicsize = sizeof(WordTable),
    .tp_dealloc = (destructor)wordtable_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "WordTable(numbers): word numbering over a hash table of its own, mirroring the dict numbers",
    .tp_methods = wordtable_methods,
    .tp_init = (initproc)wordtable_init,
    .tp_new = PyType_GenericNew,
};

/* ------------------------------------------------------------------------------------------ */
/* postings chunks                                                                            */
/* ------------------------------------------------------------------------------------------ */

/* chunk_rows(tokens, ids, starts): the (token, n, chunk) rows of ctlex.tm.postings.postings_rows:
 * key i's ids are ids[starts[i]:starts[i + 1]] (int64, ascending; the last key's run to the end),
 * and its chunk is: the width w (1, 2 or 4: what the largest gap needs), the first id (4 bytes,
 * little-endian), then each gap to the next id in w bytes, little-endian. */
static PyObject *
chunk_rows(PyObject *self, PyObject *args)
{
    PyObject *tokens;
    Py_buffer idb, stb;
    if (!PyArg_ParseTuple(args, "O!y*y*", &PyList_Type, &tokens, &idb, &stb))
        return NULL;
    PyObject *out = NULL;
    uint8_t *buf = NULL;
    const int64_t *ids = idb.buf, *starts = stb.buf;
    Py_ssize_t nids = idb.len / 8, nkeys = stb.len / 8;
    if (PyList_GET_SIZE(tokens) != nkeys) {
        PyErr_SetString(PyExc_ValueError, "one token a key");
        goto done;
    }
    out = PyList_New(nkeys);
    if (out == NULL)
        goto done;
    Py_ssize_t cap = 0;
    for (Py_ssize_t k = 0; k < nkeys; k++) {
        Py_ssize_t b = (Py_ssize_t)starts[k], e = k + 1 < nkeys ? (Py_ssize_t)starts[k + 1] : nids;
        if (b < 0 || e > nids || e <= b) {
            PyErr_SetString(PyExc_ValueError, "a key's ids out of range");
            goto fail;
        }
        int64_t widest = 0;
        for (Py_ssize_t i = b + 1; i < e; i++) {
            int64_t g = ids[i] - ids[i - 1];
            if (g > widest)
                widest = g;
        }
        if (ids[b] < 0 || ids[b] > (int64_t)UINT32_MAX || widest > (int64_t)UINT32_MAX || widest < 0) {
            PyErr_SetString(PyExc_OverflowError, "segment id too large (or ids not ascending) for a postings chunk");
            goto fail;
        }
        int w = widest < 256 ? 1 : widest < 65536 ? 2 : 4;
        Py_ssize_t size = 5 + (e - b - 1) * w;
        if (size > cap) {
            uint8_t *nb = PyMem_Realloc(buf, (size_t)size);
            if (nb == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            buf = nb;
            cap = size;
        }
        uint32_t first = (uint32_t)ids[b];
        buf[0] = (uint8_t)w;
        for (int j = 0; j < 4; j++)
            buf[1 + j] = (uint8_t)(first >> (8 * j));
        uint8_t *p = buf + 5;
        for (Py_ssize_t i = b + 1; i < e; i++) {
            uint32_t g = (uint32_t)(ids[i] - ids[i - 1]);
            for (int j = 0; j < w; j++)
                *p++ = (uint8_t)(g >> (8 * j));
        }
        PyObject *tok = PyList_GET_ITEM(tokens, k);
        PyObject *row = Py_BuildValue("(On y#)", tok, e - b, (const char *)buf, size);
        if (row == NULL)
            goto fail;
        PyList_SET_ITEM(out, k, row);
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    PyMem_Free(buf);
    PyBuffer_Release(&idb);
    PyBuffer_Release(&stb);
    return out;
}

/* ------------------------------------------------------------------------------------------ */

static PyMethodDef module_methods[] = {
    {"unit_hashes", unit_hashes, METH_VARARGS,
     "unit_hashes(rows, skeys, tkeys) -> (dkeys, ukeys): see ctlex.tm.keys.unit_hashes"},
    {"chunk_rows", chunk_rows, METH_VARARGS,
     "chunk_rows(tokens, ids, starts) -> [(token, n, chunk)]: see ctlex.tm.postings.postings_rows"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef native_module = {
    PyModuleDef_HEAD_INIT, "ctlex._native_tm", "ctlex's compiled TM import keying (optional)", -1, module_methods,
};

PyMODINIT_FUNC
PyInit__native_tm(void)
{
    if (PyType_Ready(&WordTableType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&native_module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&WordTableType);
    if (PyModule_AddObject(m, "WordTable", (PyObject *)&WordTableType) < 0) {
        Py_DECREF(&WordTableType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
