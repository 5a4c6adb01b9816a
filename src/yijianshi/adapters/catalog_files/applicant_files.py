"""Answers and holdings files an applicant (or a test) supplies to the planner."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import ValidationError

from yijianshi.adapters.catalog_files.loader import describe_validation
from yijianshi.adapters.catalog_files.schema import HoldingsFile
from yijianshi.adapters.catalog_files.yaml_lines import Located, YamlSyntaxError, load
from yijianshi.domain.planning import HeldCertificate, Holdings
from yijianshi.domain.problems import Line, Problem, untranslated
from yijianshi.services.catalogue.ports import InputFileError


def _read(location: str) -> Located:
    try:
        return load(Path(location))
    except YamlSyntaxError as error:
        raise InputFileError([Problem(Line(location, error.line), untranslated(error.message))]) from None
    except OSError as error:
        raise InputFileError(
            [Problem(Line(location, 1), untranslated(f"cannot be read: {error.strerror}"))]
        ) from None


class ApplicantFiles:
    """Reads answers (`question: option`) and holdings (`certificates: [...]`) from YAML or JSON."""

    def answers(self, location: str) -> Mapping[str, str]:
        located = _read(location)
        data = located.data if located.data is not None else {}
        if not isinstance(data, dict):
            raise InputFileError(
                [
                    Problem(
                        Line(location, 1),
                        untranslated(
                            "must be a mapping of question code to option code, e.g. parents_married: 'yes'"
                        ),
                    )
                ]
            )
        problems = [
            Problem(
                Line(location, located.line((key,))),
                untranslated(f"{key}: answer must be an option code, not a list or mapping"),
            )
            for key, value in data.items()
            if isinstance(value, dict | list)
        ]
        if problems:
            raise InputFileError(problems)
        # YAML reads yes/no as booleans; the option codes are the words themselves
        return {str(k): ("yes" if v is True else "no" if v is False else str(v)) for k, v in data.items()}

    def holdings(self, location: str) -> Holdings:
        located = _read(location)
        try:
            parsed = HoldingsFile.model_validate(located.data if located.data is not None else {})
        except ValidationError as error:
            raise InputFileError(
                [
                    Problem(Line(location, located.line(where)), untranslated(message))
                    for where, message in describe_validation(error)
                ]
            ) from None
        return Holdings(
            tuple(
                HeldCertificate(h.certificate, h.subject, h.number, h.status, h.valid_until)
                for h in parsed.certificates
            )
        )
