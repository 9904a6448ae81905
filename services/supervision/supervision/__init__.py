"""Supervision (督查问责): the plan's lists, its 14 measures, petitions, directives and
accountability."""
