"""The one compiled part: the keyed pseudonym's HMAC (desensitize/_hmac.c; hmac_batch.py says why).

Everything else is declared in pyproject.toml; `pip install -e .` (make setup) compiles this with gcc.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("desensitize._hmac", sources=["desensitize/_hmac.c"], extra_compile_args=["-O3"])])
