"""Command line: ``python -m helpers.translate "<call>"`` explains a call and ports it.

Every failure prints one paragraph on stderr, starting with ``error:``, and exits
with code 2 (as argparse does for a bad command line); long input is quoted as a
short excerpt. Never a traceback.

Notebook: 08_porting.ipynb
"""

import argparse
import sys
import textwrap

import librosa

from .convert import librosa_code_of, settings_of, torchaudio_code_of
from .explain import explain
from .parse import parse_call
from .settings import excerpt


def _paragraph(text):
    """One paragraph: whitespace and line breaks collapsed, wrapped at 100 columns."""
    return textwrap.fill(" ".join(str(text).split()), width=100, break_on_hyphens=False)


def _run(args):
    side = parse_call(args.call)[0]
    s = settings_of(args.call)
    code = torchaudio_code_of(s) if side == "librosa" else librosa_code_of(s)
    if args.code:
        return code
    target = "torchaudio" if side == "librosa" else "librosa"
    return f"{explain(args.call, seconds=args.seconds)}\n\nEquivalent {target} code:\n{code}"


def main(argv=None):
    """Command line: explain a call and print the equivalent call in the other library.

    Returns 0, or 2 after printing one paragraph that says what is wrong.
    """
    p = argparse.ArgumentParser(
        prog="python -m helpers.translate",
        description="Explain a librosa or torchaudio mel spectrogram call in plain words and "
                    "print the equivalent call in the other library.")
    p.add_argument("call", help='e.g. "librosa.feature.melspectrogram(y=y, sr=22050, '
                                'n_mels=128, fmax=8000)" or "torchaudio.transforms.'
                                'MelSpectrogram(sample_rate=16000, ...)"')
    p.add_argument("--code", action="store_true", help="print only the equivalent code")
    p.add_argument("--seconds", type=float, default=1.0,
                   help="signal length for the output shape (default 1)")
    args = p.parse_args(argv)  # a bad command line: argparse's usage and message, exit 2
    try:
        print(_run(args))
        return 0
    except (ValueError, TypeError, librosa.util.exceptions.ParameterError) as exc:
        message = str(exc)
    except (RecursionError, MemoryError):
        message = f"the call is too large or nested too deeply to read: {excerpt(args.call)}."
    except Exception as exc:  # a bug in the translator: still one paragraph, no traceback
        message = (f"could not translate {excerpt(args.call)}: unexpected "
                   f"{type(exc).__name__}: {excerpt(exc, 200)}. This is a bug; please report "
                   "the call.")
    print(_paragraph(f"error: {message}"), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
