"""Fitting parameters to dated aggregates: :func:`calibrate` and its result, :class:`Calibration`.

Weighted least squares: each usable observation contributes the residual
``(model - observed) / (rel_sd * observed)``, its relative standard error ``rel_sd`` from its
row (by default from its ``status``: official 5%, derived 10%, press 20%). The optimiser is
:func:`scipy.optimize.least_squares` (trust region, bounds) with a forward-difference Jacobian,
each parameter with its own step (:attr:`Parameter.step`). Standard errors come from its
Jacobian at the solution (``cov = (JᵀJ)⁻¹``: the residuals are already divided by their assumed
standard errors, so the covariance is not rescaled by the residual variance); a parametric
bootstrap (``bootstrap=B``: the usable observations redrawn ``B`` times from their stated
errors and refitted) gives a second, model-free-of-linearisation measure.

Only rows with ``published <= as_of`` are used; the others are not even passed to the model
(the no-look-ahead rule: adding or changing a later row changes nothing).
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize import least_squares  # type: ignore[import-untyped]

from .._dates import as_date
from ..behaviour import Behaviour
from ..errors import DwangsomError
from .model import Hindcast, Inputs, Parameter
from .observations import ObservationError, known, observations

__all__ = ["Calibration", "calibrate"]

Floats = npt.NDArray[np.float64]


@dataclasses.dataclass(frozen=True)
class Calibration:
    """The result of :func:`calibrate`.

    ``values``: fitted parameters (a Series by name); ``se``: their standard errors from the
    Jacobian (NaN where the observations do not determine a parameter); ``covariance``;
    ``bootstrap``: the refitted values per bootstrap draw (empty without ``bootstrap``);
    ``fit``: one row per used observation (observed, fitted, residual = fitted - observed,
    relative residual, standardised residual, source); ``unused``: the rows published after
    ``as_of`` (count and first dates only: their values are never read).
    """

    as_of: pd.Timestamp
    parameters: tuple[Parameter, ...]
    values: pd.Series
    se: pd.Series
    covariance: pd.DataFrame
    bootstrap: pd.DataFrame
    fit: pd.DataFrame
    unused: int
    cost: float
    nfev: int
    status: str
    model: Hindcast = dataclasses.field(repr=False)

    def inputs(self) -> Inputs:
        """The model's inputs with the fitted values applied."""
        return self.model.inputs({str(k): float(v) for k, v in self.values.items()})

    def behaviour(self) -> Behaviour:
        """The model's behaviour with the fitted values applied."""
        return self.inputs().behaviour

    def draws(self, n: int, seed: int = 0) -> list[dict[str, float]]:
        """``n`` parameter sets drawn from the fit's uncertainty: the bootstrap draws when there
        are at least ``n``, else a normal approximation ``N(values, covariance)`` clipped to the
        bounds (a parameter the data do not determine, SE NaN, stays at its value)."""
        if len(self.bootstrap) >= n:
            return [dict(r) for _, r in self.bootstrap.iloc[:n].iterrows()]
        rng = np.random.default_rng(seed)
        x = self.values.to_numpy()
        cov = np.nan_to_num(self.covariance.to_numpy())
        lo = np.array([p.lower for p in self.parameters])
        hi = np.array([p.upper for p in self.parameters])
        sample = rng.multivariate_normal(x, cov, size=n, method="eigh")
        sample = np.clip(sample, lo, hi)
        return [dict(zip(self.values.index, row, strict=True)) for row in sample]

    def summary(self) -> pd.DataFrame:
        """One row per parameter: fitted ``value``, ``se``, an approximate 95% interval
        (``value ± 1.96 se`` within the bounds), the bootstrap SE and 5-95% range when drawn,
        the start, the bounds and the start's source."""
        rows = []
        for p in self.parameters:
            v, se = float(self.values[p.name]), float(self.se[p.name])
            row: dict[str, Any] = {
                "parameter": p.name,
                "value": v,
                "se": se,
                "ci95_low": max(p.lower, v - 1.96 * se) if np.isfinite(se) else np.nan,
                "ci95_high": min(p.upper, v + 1.96 * se) if np.isfinite(se) else np.nan,
            }
            if len(self.bootstrap):
                b = self.bootstrap[p.name]
                row["bootstrap_se"] = float(b.std(ddof=1)) if len(b) > 1 else np.nan
                row["bootstrap_p5"] = float(b.quantile(0.05))
                row["bootstrap_p95"] = float(b.quantile(0.95))
            row.update(initial=p.initial, lower=p.lower, upper=p.upper, source=p.source)
            rows.append(row)
        return pd.DataFrame(rows).set_index("parameter")

    def __str__(self) -> str:
        lines = [
            f"Calibration as of {self.as_of.date()}: {len(self.fit)} observation(s) used, "
            f"{self.unused} published later not used; {self.status}",
        ]
        for name, row in self.summary().iterrows():
            lines.append(f"  {name:>24} = {row['value']:.4g} (se {row['se']:.2g})")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        summary = self.summary().drop(columns=["source"]).round(4).to_html()
        table = self.fit.drop(columns=["source"], errors="ignore")
        numbers = table.select_dtypes("number").columns
        table[numbers] = table[numbers].round(4)
        fit = table.to_html(index=False)
        return (
            f"<div><p><b>Calibration as of {self.as_of.date()}</b>: {len(self.fit)} "
            f"observation(s) used, {self.unused} published later not used; "
            f"{html.escape(self.status)}</p>{summary}<p>Fit</p>{fit}</div>"
        )


def _parameters(parameters: Sequence[Parameter] | Mapping[str, Any]) -> tuple[Parameter, ...]:
    if isinstance(parameters, Mapping):
        out = []
        for name, spec in parameters.items():
            if isinstance(spec, Parameter):
                out.append(spec)
            else:
                initial, lower, upper = spec
                out.append(Parameter(name, float(initial), float(lower), float(upper)))
        result = tuple(out)
    else:
        result = tuple(parameters)
    if not result:
        raise DwangsomError("parameters: name at least one parameter to fit")
    for p in result:
        if not isinstance(p, Parameter):
            raise DwangsomError(f"parameters: Parameter objects expected, got {p!r}")
    names = [p.name for p in result]
    if len(set(names)) != len(names):
        raise DwangsomError(f"parameters: a name appears twice in {names}")
    return result


def calibrate(
    model: Hindcast,
    table: pd.DataFrame,
    *,
    as_of: Any,
    parameters: Sequence[Parameter] | Mapping[str, Any],
    bootstrap: int = 0,
    seed: int = 0,
    max_nfev: int | None = None,
) -> Calibration:
    """Fit ``parameters`` of ``model`` (a :class:`~dwangsom.calibration.Hindcast`) to the
    observations in ``table`` published on or before ``as_of``.

    ``parameters``: :class:`~dwangsom.calibration.Parameter` objects, or a mapping
    ``name -> (initial, lower, upper)``. Rows published later are set aside before the model
    sees them; every used row must be computable by the model over a period inside its window,
    or the calibration stops with :class:`~dwangsom.calibration.ObservationError` (a subclass
    naming why). With ``bootstrap=B`` the fit is repeated on ``B`` redrawn observation sets.

    >>> import pandas as pd, dwangsom
    >>> from dwangsom.calibration import Hindcast
    >>> cases = pd.DataFrame({"case_id": [f"c{i}" for i in range(40)],
    ...                       "received": ["2021-01-15"] * 40})
    >>> model = Hindcast(cases, start="2021-06-30", until="2021-12-31", inflow=0.0,
    ...                  capacity=0, scenario="no-temporary-act")
    >>> table = pd.DataFrame({"measure": ["notices", "notices"], "stream": ["asylum"] * 2,
    ...     "period_start": ["2021-07-01", "2022-01-01"],
    ...     "period_end": ["2021-12-31", "2022-12-31"], "value": ["30", "999"],
    ...     "unit": ["notices"] * 2, "published": ["2022-01-31", "2023-01-31"],
    ...     "status": ["official"] * 2, "source": ["made up"] * 2})
    >>> fit = dwangsom.calibrate(model, table, as_of="2022-06-30",
    ...                          parameters={"notice_share": (0.5, 0.0, 1.0)})
    >>> round(float(fit.values["notice_share"]), 3), fit.unused
    (0.833, 1)
    """
    if not isinstance(model, Hindcast):
        raise DwangsomError(f"model: a Hindcast expected, got {type(model).__name__}")
    params = _parameters(parameters)
    for p in params:
        model.inputs({p.name: p.initial})  # an unknown parameter name raises here
    day = pd.Timestamp(as_date(as_of, "as_of"))
    full = observations(table)
    used = known(full, day)
    if used.empty:
        raise ObservationError(
            f"observations: none published on or before {day.date()} "
            f"(the earliest is {full['published'].min():%Y-%m-%d})"
            if len(full)
            else "observations: the table is empty"
        )
    model.check(used)
    observed = used["value"].to_numpy(dtype=float)
    sd = used["rel_sd"].to_numpy(dtype=float) * np.maximum(np.abs(observed), 1e-9)
    names = [p.name for p in params]
    lo = np.array([p.lower for p in params])
    hi = np.array([p.upper for p in params])
    x0 = np.array([p.initial for p in params])
    scale = np.maximum(hi - lo, 1e-9)

    def predict(x: Floats) -> Floats:
        return model.predict(dict(zip(names, x, strict=True)), used)

    steps = np.array([p.step if p.step is not None else 1e-4 * (p.upper - p.lower)
                      for p in params])  # fmt: skip

    def fit_one(target: Floats, start: Floats) -> Any:
        def residuals(x: Floats) -> Floats:
            r = (predict(x) - target) / sd
            return np.asarray(np.nan_to_num(r, nan=0.0), dtype=float)

        def jacobian(x: Floats, *_: Any) -> Floats:
            # forward differences with each parameter's own step, backwards at an upper bound
            base = residuals(x)
            out = np.empty((base.size, x.size))
            for i in range(x.size):
                h = steps[i] if x[i] + steps[i] <= hi[i] else -steps[i]
                moved = x.copy()
                moved[i] += h
                out[:, i] = (residuals(moved) - base) / h
            return out

        return least_squares(
            residuals, start, jac=jacobian, bounds=(lo, hi), x_scale=scale, method="trf",
            max_nfev=max_nfev,
        )  # fmt: skip

    result = fit_one(observed, x0)
    x = np.asarray(result.x, dtype=float)
    jac = np.asarray(result.jac, dtype=float)
    jtj = jac.T @ jac
    determined = np.abs(np.diag(jtj)) > 1e-12
    cov = np.full((len(names), len(names)), np.nan)
    if determined.any():
        sub = np.ix_(determined, determined)
        cov[sub] = np.linalg.pinv(jtj[sub])
    se = np.sqrt(np.where(np.diag(cov) >= 0, np.diag(cov), np.nan))
    fitted = predict(x)
    fit = pd.DataFrame(
        {
            "measure": used["measure"].to_numpy(),
            "stream": used["stream"].to_numpy(),
            "period_start": used["period_start"].to_numpy(),
            "period_end": used["period_end"].to_numpy(),
            "published": used["published"].to_numpy(),
            "observed": observed,
            "fitted": fitted,
            "residual": fitted - observed,
            "relative": (fitted - observed) / np.where(observed != 0, observed, np.nan),
            "standardised": (fitted - observed) / sd,
            "source": used["source"].to_numpy(),
        }
    )
    draws = []
    if bootstrap:
        rng = np.random.default_rng(seed)
        for _ in range(int(bootstrap)):
            target = observed * (1 + used["rel_sd"].to_numpy() * rng.standard_normal(len(used)))
            draws.append(np.asarray(fit_one(np.maximum(target, 0.0), x).x, dtype=float))
    status = "converged" if result.success else f"not converged: {result.message}"
    if not determined.all():
        status += "; not determined by the observations: " + ", ".join(
            n for n, d in zip(names, determined, strict=True) if not d
        )
    return Calibration(
        as_of=day, parameters=params, values=pd.Series(x, index=names, name="value"),
        se=pd.Series(se, index=names, name="se"),
        covariance=pd.DataFrame(cov, index=names, columns=names),
        bootstrap=pd.DataFrame(draws, columns=names), fit=fit, unused=len(full) - len(used),
        cost=float(result.cost), nfev=int(result.nfev), status=status, model=model,
    )  # fmt: skip
