"""The compiled parts: the keyed pseudonym's HMAC (desensitize/_hmac.c; hmac_batch.py says why) and
the busiest identifier checks (quality/validators/_checks.c; compiled.py says why). Both read Polars'
strings through warehouse/string_views.h.

Everything else is declared in pyproject.toml; `pip install -e .` (make setup) compiles these with gcc.
"""

from setuptools import Extension, setup

OPTIONS = {"include_dirs": ["warehouse"], "depends": ["warehouse/string_views.h"], "extra_compile_args": ["-O3"]}

setup(
    ext_modules=[
        Extension("desensitize._hmac", sources=["desensitize/_hmac.c"], **OPTIONS),
        Extension("quality.validators._checks", sources=["quality/validators/_checks.c"], **OPTIONS),
    ]
)
