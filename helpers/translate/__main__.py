"""Command line: ``python -m helpers.translate "<call>"`` explains a call and ports it.

Notebook: 08_porting.ipynb
"""

import argparse
import sys

from .convert import librosa_code_of, settings_of, torchaudio_code_of
from .explain import explain
from .parse import parse_call

def main(argv=None):
    """Command line: explain a call and print the equivalent call in the other library."""
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
    args = p.parse_args(argv)
    try:
        side = parse_call(args.call)[0]
        s = settings_of(args.call)
        code = torchaudio_code_of(s) if side == "librosa" else librosa_code_of(s)
        if args.code:
            print(code)
            return 0
        print(explain(args.call, seconds=args.seconds))
        target = "torchaudio" if side == "librosa" else "librosa"
        print(f"\nEquivalent {target} code:")
        print(code)
    except (ValueError, TypeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
