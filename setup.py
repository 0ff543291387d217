"""The compiled parts: the keyed pseudonym's HMAC (desensitize/_hmac.c; hmac_batch.py says why) and
the busiest identifier checks (quality/validators/_checks.c; compiled.py says why).

Everything else is declared in pyproject.toml; `pip install -e .` (make setup) compiles these with gcc.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("desensitize._hmac", sources=["desensitize/_hmac.c"], extra_compile_args=["-O3"]),
        Extension("quality.validators._checks", sources=["quality/validators/_checks.c"], extra_compile_args=["-O3"]),
    ]
)
