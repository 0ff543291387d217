"""Sub-commands of `pdl`, one module per concern, each exposing `register(subparsers)`."""
