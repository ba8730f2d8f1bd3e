/* ctlex._native: the two hot loops of scanning, in C.
 *
 * 1. key_normalize(): the key level of ctlex.arabic for the common case, with the map back to the
 *    original (one int32 original position per output character).  The character table is built
 *    in Python from ctlex.arabic's own tables (ctlex.arabic._native_table) and handed over with
 *    set_key_table(), so Python stays the one place the normalization is defined; characters the
 *    table marks FALLBACK (decomposed hamza, ligatures, lower() that changes length, final sigma)
 *    make the function return None and the caller takes the Python path.
 * 2. Automaton: an Aho-Corasick automaton over code points, built from the matcher's pattern list,
 *    whose scan() reports only the matches that stand at word boundaries or between an allowed
 *    proclitic and an allowed enclitic (the rules of ctlex.match.index.Matcher._candidates; the
 *    tables are handed over by the caller).  Python then touches verified candidates only.
 *
 * Tests check both against the pure-Python path (tests/test_native.py).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FALLBACK 0xFFFFFFFFu
#define DELETE 0xFFFFFFFEu

/* ------------------------------------------------------------------------------------------ */
/* key normalization                                                                          */
/* ------------------------------------------------------------------------------------------ */

static uint32_t *key_table = NULL;      /* 65536 entries: mapped code point, FALLBACK or DELETE */
static Py_UCS4 one_letter[16];          /* proclitics a quote may join to its word (و ف ب ك ل) */
static int n_one_letter = 0;
static Py_UCS4 apostrophes[16];         /* quote characters besides '"' */
static int n_apostrophes = 0;

static PyObject *
set_key_table(PyObject *self, PyObject *args)
{
    Py_buffer buf;
    PyObject *letters, *apos;
    if (!PyArg_ParseTuple(args, "y*UU", &buf, &letters, &apos))
        return NULL;
    if (buf.len != 65536 * 4) {
        PyBuffer_Release(&buf);
        PyErr_SetString(PyExc_ValueError, "key table: 65536 uint32 entries expected");
        return NULL;
    }
    if (PyUnicode_GET_LENGTH(letters) > 16 || PyUnicode_GET_LENGTH(apos) > 16) {
        PyBuffer_Release(&buf);
        PyErr_SetString(PyExc_ValueError, "key table: at most 16 proclitic letters and apostrophes");
        return NULL;
    }
    uint32_t *t = (uint32_t *)PyMem_RawMalloc(65536 * 4);
    if (t == NULL) {
        PyBuffer_Release(&buf);
        return PyErr_NoMemory();
    }
    memcpy(t, buf.buf, 65536 * 4);
    PyBuffer_Release(&buf);
    if (key_table != NULL)
        PyMem_RawFree(key_table);
    key_table = t;
    n_one_letter = (int)PyUnicode_GET_LENGTH(letters);
    for (int i = 0; i < n_one_letter; i++)
        one_letter[i] = PyUnicode_READ_CHAR(letters, i);
    n_apostrophes = (int)PyUnicode_GET_LENGTH(apos);
    for (int i = 0; i < n_apostrophes; i++)
        apostrophes[i] = PyUnicode_READ_CHAR(apos, i);
    Py_RETURN_NONE;
}

static inline int
is_quote(Py_UCS4 c)
{
    if (c == '"')
        return 1;
    for (int i = 0; i < n_apostrophes; i++)
        if (apostrophes[i] == c)
            return 1;
    return 0;
}

static inline int
is_one_letter(Py_UCS4 c)
{
    for (int i = 0; i < n_one_letter; i++)
        if (one_letter[i] == c)
            return 1;
    return 0;
}

/* lower() of one code point beyond the BMP, through Python (rare: emoji, historic scripts).
 * Returns FALLBACK when lower() gives more than one character, or on error (error cleared). */
static uint32_t
lower_astral(Py_UCS4 c)
{
    PyObject *s = PyUnicode_FromOrdinal((int)c);
    if (s == NULL) {
        PyErr_Clear();
        return FALLBACK;
    }
    PyObject *l = PyObject_CallMethod(s, "lower", NULL);
    Py_DECREF(s);
    if (l == NULL) {
        PyErr_Clear();
        return FALLBACK;
    }
    uint32_t r = FALLBACK;
    if (PyUnicode_GET_LENGTH(l) == 1)
        r = PyUnicode_READ_CHAR(l, 0);
    Py_DECREF(l);
    return r;
}

/* key_normalize(text, with_map, split_whitespace) -> None | str | (str, bytes)
 *
 * with_map: also return the original position of every output character (int32, native order).
 * split_whitespace: every character str.split() splits on counts as a space (key_text's view:
 * the key of each white-space separated word, joined by one space).  None: take the Python path. */
static PyObject *
key_normalize(PyObject *self, PyObject *args)
{
    PyObject *text;
    int with_map = 0, split_ws = 0;
    if (!PyArg_ParseTuple(args, "U|pp", &text, &with_map, &split_ws))
        return NULL;
    if (key_table == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "ctlex._native: set_key_table() was not called");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_UCS4 *buf = (Py_UCS4 *)PyMem_RawMalloc((size_t)(n ? n : 1) * sizeof(Py_UCS4));
    int32_t *pos = with_map ? (int32_t *)PyMem_RawMalloc((size_t)(n ? n : 1) * sizeof(int32_t)) : NULL;
    if (buf == NULL || (with_map && pos == NULL)) {
        PyMem_RawFree(buf);
        PyMem_RawFree(pos);
        return PyErr_NoMemory();
    }
    PyObject *result = NULL;
    Py_ssize_t m = 0;
    Py_UCS4 maxc = 0;
    int quotes = 0;
    /* pass 1: lower() + the composed 1:1 table, deletions (marks, tatweel, controls) */
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        uint32_t v;
        if (split_ws && Py_UNICODE_ISSPACE(c))
            v = ' ';
        else if (c < 0x10000)
            v = key_table[c];
        else
            v = lower_astral(c);
        if (v == FALLBACK)
            goto fallback;
        if (v == DELETE)
            continue;
        if (!quotes && is_quote(v))
            quotes = 1;
        buf[m] = v;
        if (with_map)
            pos[m] = (int32_t)i;
        m++;
    }
    /* pass 2 (only where a quote occurs): joins inside words, other quotes to spaces */
    if (quotes) {
        /* into a second buffer: the context of a run is read in the text before this pass */
        Py_UCS4 *ob = (Py_UCS4 *)PyMem_RawMalloc((size_t)(m ? m : 1) * sizeof(Py_UCS4));
        int32_t *op = with_map ? (int32_t *)PyMem_RawMalloc((size_t)(m ? m : 1) * sizeof(int32_t)) : NULL;
        if (ob == NULL || (with_map && op == NULL)) {
            PyMem_RawFree(ob);
            PyMem_RawFree(op);
            PyErr_NoMemory();
            goto done;
        }
        Py_ssize_t w = 0, i = 0;
        while (i < m) {
            if (!is_quote(buf[i])) {
                ob[w] = buf[i];
                if (with_map)
                    op[w] = pos[i];
                w++, i++;
                continue;
            }
            Py_ssize_t s = i, e = i;
            int all_dq = 1, any_dq = 0;
            while (e < m && is_quote(buf[e])) {
                if (buf[e] == '"')
                    any_dq = 1;
                else
                    all_dq = 0;
                e++;
            }
            int join = 0;
            if (e < m && Py_UNICODE_ISALNUM(buf[e]) && s > 0) {
                Py_UCS4 before = buf[s - 1];
                if (buf[s] == '"') {
                    if (all_dq && is_one_letter(before) && (s < 2 || !Py_UNICODE_ISALNUM(buf[s - 2])))
                        join = 1;
                } else if (Py_UNICODE_ISALNUM(before) && !any_dq) {
                    join = 1;
                }
            }
            if (!join) {
                for (Py_ssize_t j = s; j < e; j++) {
                    ob[w] = ' ';
                    if (with_map)
                        op[w] = pos[j];
                    w++;
                }
            }
            i = e;
        }
        m = w;
        PyMem_RawFree(buf);
        PyMem_RawFree(pos);
        buf = ob, pos = op;
    }
    /* pass 3: leading and trailing spaces removed, inner runs to one space */
    {
        Py_ssize_t w = 0;
        for (Py_ssize_t i = 0; i < m; i++) {
            Py_UCS4 c = buf[i];
            if (c == ' ' && (w == 0 || buf[w - 1] == ' '))
                continue;
            buf[w] = c;
            if (with_map)
                pos[w] = pos[i];
            if (c > maxc)
                maxc = c;
            w++;
        }
        if (w > 0 && buf[w - 1] == ' ')
            w--;
        m = w;
    }
    {
        PyObject *out = PyUnicode_New(m, maxc);
        if (out == NULL)
            goto done;
        int okind = PyUnicode_KIND(out);
        void *odata = PyUnicode_DATA(out);
        for (Py_ssize_t i = 0; i < m; i++)
            PyUnicode_WRITE(okind, odata, i, buf[i]);
        if (!with_map) {
            result = out;
            goto done;
        }
        PyObject *map = PyBytes_FromStringAndSize((const char *)pos, (Py_ssize_t)(m * sizeof(int32_t)));
        if (map == NULL) {
            Py_DECREF(out);
            goto done;
        }
        result = PyTuple_Pack(2, out, map);
        Py_DECREF(out);
        Py_DECREF(map);
    }
    goto done;
fallback:
    result = Py_NewRef(Py_None);
done:
    PyMem_RawFree(buf);
    PyMem_RawFree(pos);
    return result;
}

/* ------------------------------------------------------------------------------------------ */
/* Aho-Corasick automaton over code points                                                     */
/* ------------------------------------------------------------------------------------------ */

/* Nodes are numbered breadth first; the children of node v are the nodes first[v] .. first[v+1]-1,
 * sorted by label (binary search).  The root's children are also in a dense table for the BMP. */
typedef struct {
    PyObject_HEAD
    int32_t n_nodes;
    int32_t n_patterns;
    uint32_t *label;   /* edge label into the node */
    int32_t *first;    /* n_nodes + 1 entries */
    int32_t *fail;
    int32_t *pid;      /* pattern ending here, -1 if none */
    int32_t *dict;     /* next node on the fail chain with a pattern, 0 if none */
    int32_t *plen;     /* pattern id -> length */
    int32_t *root_child; /* 65536 entries, 0 = no child */
    uint8_t *latin;    /* pattern id -> Latin (no proclitics; Latin suffixes) */
    /* affix tables: UCS4 strings */
    int n_pre, n_suf, n_lsuf;
    Py_UCS4 *pre[64];
    int pre_len[64];
    Py_UCS4 *suf[64];
    int suf_len[64];
    Py_UCS4 *lsuf[64];
    int lsuf_len[64];
    int max_pre;
} Automaton;

static void
automaton_free_arrays(Automaton *a)
{
    PyMem_RawFree(a->label);
    PyMem_RawFree(a->first);
    PyMem_RawFree(a->fail);
    PyMem_RawFree(a->pid);
    PyMem_RawFree(a->dict);
    PyMem_RawFree(a->plen);
    PyMem_RawFree(a->root_child);
    PyMem_RawFree(a->latin);
    for (int i = 0; i < a->n_pre; i++)
        PyMem_RawFree(a->pre[i]);
    for (int i = 0; i < a->n_suf; i++)
        PyMem_RawFree(a->suf[i]);
    for (int i = 0; i < a->n_lsuf; i++)
        PyMem_RawFree(a->lsuf[i]);
    a->label = NULL, a->first = a->fail = a->pid = a->dict = a->plen = a->root_child = NULL;
    a->latin = NULL;
    a->n_pre = a->n_suf = a->n_lsuf = 0;
}

static void
automaton_dealloc(Automaton *a)
{
    automaton_free_arrays(a);
    Py_TYPE(a)->tp_free((PyObject *)a);
}

/* patterns sorted by code points, through one buffer */
static const uint32_t *sort_chars;
static const int64_t *sort_off;

static int
cmp_patterns(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    const uint32_t *x = sort_chars + sort_off[a], *y = sort_chars + sort_off[b];
    int64_t la = sort_off[a + 1] - sort_off[a], lb = sort_off[b + 1] - sort_off[b];
    int64_t l = la < lb ? la : lb;
    for (int64_t i = 0; i < l; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return la < lb ? -1 : (la > lb ? 1 : (a < b ? -1 : a > b));
}

static int
read_affixes(PyObject *seq, Py_UCS4 **out, int *lens, int *count, const char *what)
{
    PyObject *fast = PySequence_Fast(seq, what);
    if (fast == NULL)
        return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    if (n > 64) {
        Py_DECREF(fast);
        PyErr_Format(PyExc_ValueError, "%s: at most 64 entries", what);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *s = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyUnicode_Check(s)) {
            Py_DECREF(fast);
            PyErr_Format(PyExc_TypeError, "%s: strings expected", what);
            return -1;
        }
        Py_UCS4 *u = PyUnicode_AsUCS4Copy(s);
        if (u == NULL) {
            Py_DECREF(fast);
            return -1;
        }
        /* AsUCS4Copy allocates with PyMem_Malloc; keep our own raw copy */
        Py_ssize_t l = PyUnicode_GET_LENGTH(s);
        Py_UCS4 *r = (Py_UCS4 *)PyMem_RawMalloc((size_t)(l + 1) * sizeof(Py_UCS4));
        if (r == NULL) {
            PyMem_Free(u);
            Py_DECREF(fast);
            PyErr_NoMemory();
            return -1;
        }
        memcpy(r, u, (size_t)(l + 1) * sizeof(Py_UCS4));
        PyMem_Free(u);
        out[*count] = r;
        lens[*count] = (int)l;
        (*count)++;
    }
    Py_DECREF(fast);
    return 0;
}

static inline int32_t
child_of(const Automaton *a, int32_t v, uint32_t c)
{
    if (v == 0)
        return c < 0x10000 ? a->root_child[c] : 0;
    int32_t lo = a->first[v], hi = a->first[v + 1];
    while (lo < hi) {
        int32_t mid = (lo + hi) >> 1;
        uint32_t l = a->label[mid];
        if (l == c)
            return mid;
        if (l < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int32_t
root_child_slow(const Automaton *a, uint32_t c)
{
    int32_t lo = a->first[0], hi = a->first[1];
    while (lo < hi) {
        int32_t mid = (lo + hi) >> 1;
        if (a->label[mid] == c)
            return mid;
        if (a->label[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static inline int32_t
go(const Automaton *a, int32_t v, uint32_t c)
{
    if (v == 0 && c >= 0x10000)
        return root_child_slow(a, c);
    return child_of(a, v, c);
}

/* Automaton(patterns, latin, proclitics, enclitics, latin_suffixes)
 * patterns: list of str, the index is the pattern id; latin: bytes, 1 where a pattern is Latin. */
static int
automaton_init(Automaton *self, PyObject *args, PyObject *kwds)
{
    PyObject *patterns, *pre, *suf, *lsuf;
    Py_buffer latin;
    if (!PyArg_ParseTuple(args, "O!y*OOO", &PyList_Type, &patterns, &latin, &pre, &suf, &lsuf))
        return -1;
    automaton_free_arrays(self);
    Py_ssize_t np = PyList_GET_SIZE(patterns);
    int rc = -1;
    uint32_t *chars = NULL;
    int64_t *off = NULL;
    int32_t *order = NULL, *cur = NULL, *parent = NULL;
    if (latin.len != np) {
        PyErr_SetString(PyExc_ValueError, "Automaton: one latin flag per pattern expected");
        goto out;
    }
    if (np >= INT32_MAX / 2) {
        PyErr_SetString(PyExc_ValueError, "Automaton: too many patterns");
        goto out;
    }
    if (read_affixes(pre, self->pre, self->pre_len, &self->n_pre, "proclitics") < 0
        || read_affixes(suf, self->suf, self->suf_len, &self->n_suf, "enclitics") < 0
        || read_affixes(lsuf, self->lsuf, self->lsuf_len, &self->n_lsuf, "latin suffixes") < 0)
        goto out;
    self->max_pre = 0;
    for (int i = 0; i < self->n_pre; i++)
        if (self->pre_len[i] > self->max_pre)
            self->max_pre = self->pre_len[i];
    int64_t total = 0;
    for (Py_ssize_t i = 0; i < np; i++) {
        PyObject *s = PyList_GET_ITEM(patterns, i);
        if (!PyUnicode_Check(s) || PyUnicode_GET_LENGTH(s) == 0) {
            PyErr_SetString(PyExc_TypeError, "Automaton: patterns must be non-empty strings");
            goto out;
        }
        total += PyUnicode_GET_LENGTH(s);
    }
    if (total >= INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "Automaton: patterns too long in total");
        goto out;
    }
    chars = (uint32_t *)PyMem_RawMalloc((size_t)(total ? total : 1) * 4);
    off = (int64_t *)PyMem_RawMalloc((size_t)(np + 1) * 8);
    order = (int32_t *)PyMem_RawMalloc((size_t)(np ? np : 1) * 4);
    cur = (int32_t *)PyMem_RawMalloc((size_t)(np ? np : 1) * 4);
    self->plen = (int32_t *)PyMem_RawMalloc((size_t)(np ? np : 1) * 4);
    self->latin = (uint8_t *)PyMem_RawMalloc((size_t)(np ? np : 1));
    /* at most total + 1 nodes */
    self->label = (uint32_t *)PyMem_RawMalloc((size_t)(total + 1) * 4);
    self->first = (int32_t *)PyMem_RawMalloc((size_t)(total + 2) * 4);
    self->pid = (int32_t *)PyMem_RawMalloc((size_t)(total + 1) * 4);
    self->root_child = (int32_t *)PyMem_RawCalloc(65536, 4);
    if (!chars || !off || !order || !cur || !self->plen || !self->latin || !self->label || !self->first
        || !self->pid || !self->root_child) {
        PyErr_NoMemory();
        goto out;
    }
    memcpy(self->latin, latin.buf, (size_t)np);
    off[0] = 0;
    for (Py_ssize_t i = 0; i < np; i++) {
        PyObject *s = PyList_GET_ITEM(patterns, i);
        Py_ssize_t l = PyUnicode_GET_LENGTH(s);
        int kind = PyUnicode_KIND(s);
        const void *d = PyUnicode_DATA(s);
        for (Py_ssize_t j = 0; j < l; j++)
            chars[off[i] + j] = PyUnicode_READ(kind, d, j);
        off[i + 1] = off[i] + l;
        self->plen[i] = (int32_t)l;
        order[i] = (int32_t)i;
    }
    sort_chars = chars, sort_off = off;
    qsort(order, (size_t)np, sizeof(int32_t), cmp_patterns);
    /* level by level: the distinct prefixes of length d, in sorted order, are the nodes of depth d
     * (so node order is breadth first); the children of one parent are consecutive, sorted by
     * label, and parents come in node order */
    parent = (int32_t *)PyMem_RawMalloc((size_t)(total + 1) * 4);
    if (parent == NULL) {
        PyErr_NoMemory();
        goto out;
    }
    int32_t nn = 1;
    self->label[0] = 0;
    self->pid[0] = -1;
    parent[0] = -1;
    Py_ssize_t active = np;
    for (Py_ssize_t i = 0; i < np; i++)
        cur[i] = 0;  /* cur[k]: node of the prefix read so far of the k-th active pattern */
    int64_t d = 0;
    while (active > 0) {
        int32_t prev_parent = -1;
        uint32_t prev_c = 0;
        Py_ssize_t keep = 0;
        for (Py_ssize_t k = 0; k < active; k++) {
            int32_t p = order[k];
            uint32_t c = chars[off[p] + d];
            int32_t par = cur[k];
            if (par != prev_parent || c != prev_c) {
                self->label[nn] = c;
                self->pid[nn] = -1;
                parent[nn] = par;
                nn++;
                prev_parent = par, prev_c = c;
            }
            if (off[p + 1] - off[p] == d + 1) {
                self->pid[nn - 1] = p;  /* patterns are distinct: at most one ends at a node */
            } else {
                order[keep] = p;
                cur[keep] = nn - 1;
                keep++;
            }
        }
        active = keep;
        d++;
    }
    self->n_nodes = nn;
    self->n_patterns = (int32_t)np;
    {
        int32_t v = 0;
        for (int32_t u = 1; u < nn; u++) {
            while (v <= parent[u]) {
                self->first[v] = u;
                v++;
            }
        }
        while (v <= nn) {
            self->first[v] = nn;
            v++;
        }
        for (int32_t u = self->first[0]; u < self->first[1]; u++)
            if (self->label[u] < 0x10000)
                self->root_child[self->label[u]] = u;
        /* failure and dictionary links, breadth first (node order is breadth first) */
        self->fail = (int32_t *)PyMem_RawMalloc((size_t)nn * 4);
        self->dict = (int32_t *)PyMem_RawMalloc((size_t)nn * 4);
        if (self->fail == NULL || self->dict == NULL) {
            PyErr_NoMemory();
            goto out;
        }
        self->fail[0] = 0;
        self->dict[0] = 0;
        for (int32_t u = 1; u < nn; u++) {
            int32_t par = parent[u];
            uint32_t c = self->label[u];
            int32_t f;
            if (par == 0) {
                f = 0;
            } else {
                f = self->fail[par];
                for (;;) {
                    int32_t g = go(self, f, c);
                    if (g) {
                        f = g;
                        break;
                    }
                    if (f == 0)
                        break;
                    f = self->fail[f];
                }
            }
            self->fail[u] = f;
            self->dict[u] = (f && self->pid[f] >= 0) ? f : self->dict[f];
        }
    }
    rc = 0;
out:
    PyBuffer_Release(&latin);
    PyMem_RawFree(chars);
    PyMem_RawFree(off);
    PyMem_RawFree(order);
    PyMem_RawFree(cur);
    PyMem_RawFree(parent);
    if (rc < 0)
        automaton_free_arrays(self);
    return rc;
}

static inline int
match_at(int kind, const void *data, Py_ssize_t at, const Py_UCS4 *s, int len)
{
    for (int i = 0; i < len; i++)
        if (PyUnicode_READ(kind, data, at + i) != s[i])
            return 0;
    return 1;
}

static int
append_record(PyObject *out, Py_ssize_t *vals, int n)
{
    PyObject *t = PyTuple_New(n);
    if (t == NULL)
        return -1;
    for (int i = 0; i < n; i++) {
        PyObject *v = PyLong_FromSsize_t(vals[i]);
        if (v == NULL) {
            Py_DECREF(t);
            return -1;
        }
        PyTuple_SET_ITEM(t, i, v);
    }
    int r = PyList_Append(out, t);
    Py_DECREF(t);
    return r;
}

/* scan(t) -> list of records, in the order the matches end (longest first at one end):
 *   (s, end, pid)                           a whole word or words: t[s-1] and t[end+1] are spaces
 *   (s, end, ws, we, pid, pre, suf)         with a proclitic t[ws:s] (pre: its index, -1 none) and/or
 *                                           an enclitic or Latin suffix t[end+1:we] (suf: index into
 *                                           enclitics, or into latin_suffixes for a Latin pattern)
 * t must begin and end with a space (the matcher pads the key text). */
static PyObject *
automaton_scan(Automaton *self, PyObject *arg)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "scan: str expected");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    if (self->n_nodes <= 1 || n < 2)
        return out;
    if (PyUnicode_READ(kind, data, 0) != ' ' || PyUnicode_READ(kind, data, n - 1) != ' ') {
        Py_DECREF(out);
        PyErr_SetString(PyExc_ValueError, "scan: the text must begin and end with a space");
        return NULL;
    }
    int32_t state = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        uint32_t c = PyUnicode_READ(kind, data, i);
        for (;;) {
            int32_t g = go(self, state, c);
            if (g) {
                state = g;
                break;
            }
            if (state == 0)
                break;
            state = self->fail[state];
        }
        int32_t node = self->pid[state] >= 0 ? state : self->dict[state];
        for (; node; node = self->dict[node]) {
            int32_t p = self->pid[node];
            Py_ssize_t end = i;
            Py_ssize_t s = end - self->plen[p] + 1;
            if (s < 0 || end + 1 >= n)
                continue;
            /* s == 0 only for a pattern that begins with a space: t[-1], as Python reads it */
            Py_UCS4 before = s >= 1 ? PyUnicode_READ(kind, data, s - 1) : ' ';
            Py_UCS4 after = PyUnicode_READ(kind, data, end + 1);
            if (before == ' ' && after == ' ') {
                Py_ssize_t v[3] = {s, end, p};
                if (append_record(out, v, 3) < 0)
                    goto fail;
                continue;
            }
            int latin = self->latin[p];
            Py_ssize_t ws, we;
            int pre = -1, suf = -1;
            if (before == ' ') {
                ws = s;
            } else {
                if (latin)
                    continue;
                ws = s - 1;
                while (ws > 0 && s - ws <= self->max_pre && PyUnicode_READ(kind, data, ws - 1) != ' ')
                    ws--;
                if (PyUnicode_READ(kind, data, ws - 1) != ' ')
                    continue;  /* longer than any proclitic */
                int plen = (int)(s - ws);
                for (int k = 0; k < self->n_pre; k++)
                    if (self->pre_len[k] == plen && match_at(kind, data, ws, self->pre[k], plen)) {
                        pre = k;
                        break;
                    }
                if (pre < 0)
                    continue;
            }
            if (after == ' ') {
                we = end + 1;
            } else {
                we = end + 1;
                while (we < n && PyUnicode_READ(kind, data, we) != ' ')
                    we++;
                int slen = (int)(we - end - 1);
                if (latin) {
                    for (int k = 0; k < self->n_lsuf; k++)
                        if (self->lsuf_len[k] == slen && match_at(kind, data, end + 1, self->lsuf[k], slen)) {
                            suf = k;
                            break;
                        }
                } else {
                    for (int k = 0; k < self->n_suf; k++)
                        if (self->suf_len[k] == slen && match_at(kind, data, end + 1, self->suf[k], slen)) {
                            suf = k;
                            break;
                        }
                }
                if (suf < 0)
                    continue;
            }
            Py_ssize_t v[7] = {s, end, ws, we, p, pre, suf};
            if (append_record(out, v, 7) < 0)
                goto fail;
        }
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

static PyObject *
automaton_sizes(Automaton *self, PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(ii)", self->n_patterns, self->n_nodes);
}

static PyMethodDef automaton_methods[] = {
    {"scan", (PyCFunction)automaton_scan, METH_O,
     "scan(t): verified matches in the space-padded key text t (see the module source)"},
    {"sizes", (PyCFunction)automaton_sizes, METH_NOARGS, "(patterns, trie nodes)"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject AutomatonType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ctlex._native.Automaton",
    .tp_basicsize = sizeof(Automaton),
    .tp_dealloc = (destructor)automaton_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Automaton(patterns, latin, proclitics, enclitics, latin_suffixes)",
    .tp_methods = automaton_methods,
    .tp_init = (initproc)automaton_init,
    .tp_new = PyType_GenericNew,
};

static PyMethodDef module_methods[] = {
    {"set_key_table", set_key_table, METH_VARARGS,
     "set_key_table(table, one_letter_proclitics, apostrophes): the composed key-level table"},
    {"key_normalize", key_normalize, METH_VARARGS,
     "key_normalize(text, with_map=False, split_whitespace=False) -> None | str | (str, bytes)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef native_module = {
    PyModuleDef_HEAD_INIT, "ctlex._native", "ctlex's compiled scan loops (optional)", -1, module_methods,
};

PyMODINIT_FUNC
PyInit__native(void)
{
    if (PyType_Ready(&AutomatonType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&native_module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&AutomatonType);
    if (PyModule_AddObject(m, "Automaton", (PyObject *)&AutomatonType) < 0) {
        Py_DECREF(&AutomatonType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
