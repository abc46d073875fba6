"""A team's own institutions in a session: an uploaded file's table, what it fixes.

A mixin of ``sim_app.session.state.Session`` (kept apart to keep each file short).
"""

from __future__ import annotations

from dataclasses import replace

from sim.errors import SimInputError
from sim.institutions import InstitutionFileError, InstitutionTable
from sim.population import fixed_by, params_for
from sim_app.session.store import EMPTY, frozen_map
from sim_app.session.upload import read_upload


class SessionInstitutions:
    """Upload and clear (needs the Session's state, lock, values, _rerun, _remember)."""

    @property
    def institutions(self) -> InstitutionTable | None:
        """The uploaded institutions the runs use (None: the model's own)."""
        return self.state.peek().settings.institutions

    def fixed_by_file(self) -> dict[str, object]:
        """The parameters the uploaded file fixes, with its values (none without a file)."""
        table = self.institutions
        return {} if table is None else fixed_by(table)

    def load_institutions_bytes(self, filename: str, data: bytes | None) -> str | None:
        """Run the institutions of an uploaded file (kept in this session's memory only);
        returns its one-line error, or None on success. The parameters the file fixes take
        the file's values; every other setting and the seed stay."""
        try:
            table = read_upload(filename, data)
            params = params_for(table, self.values)
        except InstitutionFileError as exc:
            return str(exc)
        except SimInputError as exc:
            return f"{filename}: {exc}"
        with self.lock:
            st = self.state.peek()
            s = st.settings
            values = {**s.values, **fixed_by(table)}
            settings = replace(s, values=frozen_map(values), institutions=table, field_errors=EMPTY,
                               undo=self._remember(s, f"institutions from {table.source}"))
            self._put(self._rerun(st.with_(playing=False), settings, params=params, to_end=True))
        return None

    def clear_institutions(self) -> None:
        """Back to the model's own institutions (the chosen scenario's values)."""
        if self.institutions is not None:
            self.choose_scenario(self.scenario, self.extras)

