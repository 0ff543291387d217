/* A Polars String column as compiled code reads it: an Arrow string_view array, taken without a copy
 * (warehouse/string_views.py hands it over). Included by every extension that reads strings
 * (desensitize/_hmac.c, quality/validators/_checks.c), so there is one way to do it.
 *
 * 16 bytes a value: int32 length; up to 12 bytes inline, else a 4-byte prefix, the int32 index of a
 * data buffer and the int32 offset in it. A module function takes `views, data, first, count, out`
 * (STRING_COLUMN_ARGS / STRING_COLUMN_PARSE): the views buffer, the tuple of data buffers, the values
 * first..first+count-1 and a writable output of `width` bytes a value.
 */
#ifndef PDL_STRING_VIEWS_H
#define PDL_STRING_VIEWS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define STRING_COLUMN_MAX_BUFFERS 4096
#define STRING_COLUMN_ARGS "y*O!nnw*"
#define STRING_COLUMN_PARSE(c, data) &(c).views, &PyTuple_Type, &(data), &(c).first, &(c).count, &(c).out

typedef struct {
    Py_buffer views, out, *data;
    Py_ssize_t first, count, buffers;
} StringColumn;

static void string_column_release(StringColumn *c) {
    for (Py_ssize_t b = 0; b < c->buffers; b++) PyBuffer_Release(&c->data[b]);
    PyMem_Free(c->data);
    PyBuffer_Release(&c->views), PyBuffer_Release(&c->out);
}

/* Takes the buffers of `data` (a tuple) and checks the arguments for `width` output bytes a value;
 * 0 with an exception set when they do not fit. Release the column either way. */
static int string_column_open(StringColumn *c, PyObject *data, Py_ssize_t width) {
    c->buffers = 0;
    if (PyTuple_GET_SIZE(data) > STRING_COLUMN_MAX_BUFFERS)
        return PyErr_SetString(PyExc_ValueError, "too many data buffers"), 0;
    c->data = PyMem_Calloc(PyTuple_GET_SIZE(data) + 1, sizeof(Py_buffer));
    if (c->data == NULL) return PyErr_NoMemory(), 0;
    for (; c->buffers < PyTuple_GET_SIZE(data); c->buffers++)
        if (PyObject_GetBuffer(PyTuple_GET_ITEM(data, c->buffers), &c->data[c->buffers], PyBUF_SIMPLE) < 0) return 0;
    if (c->first < 0 || c->count < 0 || (c->first + c->count) * 16 > c->views.len)
        PyErr_SetString(PyExc_ValueError, "value range outside the views");
    else if (c->out.len < width * c->count)
        PyErr_SetString(PyExc_ValueError, "output buffer too small for the values");
    else
        return 1;
    return 0;
}

/* The bytes of value i (and their count in *n); NULL when its view points outside the data buffers. */
static const uint8_t *string_view_bytes(const StringColumn *c, Py_ssize_t i, int64_t *n) {
    const uint8_t *view = (const uint8_t *)c->views.buf + 16 * i;
    int32_t length, buffer, offset;
    memcpy(&length, view, 4);
    *n = length;
    if (length <= 12) return length < 0 ? NULL : view + 4;
    memcpy(&buffer, view + 8, 4), memcpy(&offset, view + 12, 4);
    if (buffer < 0 || buffer >= c->buffers || offset < 0 || (Py_ssize_t)offset + length > c->data[buffer].len)
        return NULL;
    return (const uint8_t *)c->data[buffer].buf + offset;
}

/* Releases the column; None, or NULL with ValueError when a view pointed outside its buffers (`ok` 0). */
static PyObject *string_column_finish(StringColumn *c, int ok) {
    string_column_release(c);
    if (!ok) return PyErr_SetString(PyExc_ValueError, "a string view points outside its data buffers"), NULL;
    return Py_NewRef(Py_None);
}

#endif
