"""The dB step: librosa's power_to_db / amplitude_to_db <-> torchaudio's AmplitudeToDB.

Notebook: 08_porting.ipynb
"""

import math

import torchaudio

from .._validate import check_number
from .settings import no


_DB_FUNCS = {"power_to_db": ("power", 1e-10), "amplitude_to_db": ("magnitude", 1e-5)}


def librosa_db_to_torchaudio(function="power_to_db", ref=1.0, amin=None, top_db=80.0):
    """The ``torchaudio.transforms.AmplitudeToDB`` equal to librosa's dB step.

    Parameters
    ----------
    function : {'power_to_db', 'amplitude_to_db'}
        The librosa function (its ``S`` is power or magnitude).
    ref : float
        Only 1.0 has an exact equivalent: AmplitudeToDB has no ``ref``.
    amin : float or None
        Floor before the log; None means librosa's default for ``function``
        (1e-10 for power_to_db, 1e-5 for amplitude_to_db). Copied onto the
        transform's ``amin`` attribute (torchaudio's own default is 1e-10 for both).
    top_db : float or None
        Floor relative to the maximum, in dB (librosa's default 80; torchaudio's None).

    Returns
    -------
    torchaudio.transforms.AmplitudeToDB
        Equal to librosa on a 2-D (n_mels, n_frames) input. On 3-D input
        (batch, n_mels, n_frames) torchaudio takes ``top_db`` below the maximum of
        the WHOLE batch; give it (batch, 1, n_mels, n_frames) (``x.unsqueeze(1)``)
        to get librosa's per-clip floor.

    Raises
    ------
    NoEquivalentError
        For ``ref`` other than 1.0 (the message says what to do instead).

    See also
    --------
    torchaudio_db_to_librosa, librosa.power_to_db, librosa.amplitude_to_db

    Notebook: 08_porting.ipynb
    """
    if function not in _DB_FUNCS:
        raise ValueError(f"function={function!r} is not supported; allowed: "
                         f"{', '.join(map(repr, _DB_FUNCS))}.")
    stype, default_amin = _DB_FUNCS[function]
    if callable(ref) or ref != 1.0:
        mult = 10 if stype == "power" else 20
        instead = ("subtract each clip's maximum afterwards: db = t(x); "
                   "db - db.amax(dim=(-2, -1), keepdim=True)" if callable(ref) else
                   f"subtract {mult} * log10(ref) = {mult * math.log10(abs(ref)):.6g} dB "
                   "from its output")
        no(f"ref={getattr(ref, '__name__', ref)!r}",
            f"torchaudio's AmplitudeToDB has no ref argument (it always uses 1.0). Instead "
            f"use AmplitudeToDB(stype={stype!r}, top_db=...) and {instead}; top_db is "
            "unaffected because it is relative to the maximum.")
    amin = default_amin if amin is None else check_number(amin, "amin", low=0, low_open=True)
    if top_db is not None:
        top_db = check_number(top_db, "top_db", low=0)
    t = torchaudio.transforms.AmplitudeToDB(stype=stype, top_db=top_db)
    t.amin = amin
    return t


def torchaudio_db_to_librosa(transform):
    """(function name, kwargs) of the librosa dB step equal to an ``AmplitudeToDB``.

    Returns
    -------
    tuple (str, dict)
        ``('power_to_db' or 'amplitude_to_db', {'ref': ..., 'amin': ..., 'top_db': ...})``;
        ``getattr(librosa, name)(S, **kwargs)`` equals ``transform(torch.from_numpy(S))``
        for a 2-D ``S`` (for 3-D input torchaudio's ``top_db`` is batch-wide: apply
        librosa per clip only if you also give torchaudio (batch, 1, F, T)).
        amin is always written out: torchaudio's default 1e-10 is NOT librosa
        amplitude_to_db's default 1e-5.

    See also
    --------
    librosa_db_to_torchaudio

    Notebook: 08_porting.ipynb
    """
    if not isinstance(transform, torchaudio.transforms.AmplitudeToDB):
        raise TypeError(f"expected a torchaudio.transforms.AmplitudeToDB, got "
                        f"{type(transform).__name__}.")
    if transform.stype not in ("power", "magnitude", "amplitude"):
        no(f"stype={transform.stype!r}", "torchaudio treats every stype other than 'power' "
            "as an amplitude; say 'magnitude' or 'power'.")
    name = "power_to_db" if transform.multiplier == 10.0 else "amplitude_to_db"
    return name, {"ref": float(10.0 ** transform.db_multiplier), "amin": float(transform.amin),
                  "top_db": transform.top_db}


