"""Invalid input explained in Chinese (输入校验信息): every field error names the field by its
Chinese label and says what is wrong in zh-CN first, pydantic's English in parentheses.

The label is the request model's own (a Field's `title`, else the head of its `description`:
"业务日期：工作实际发生的日期" → "业务日期"); else the `GLOSSARY` of common field names; else
the field's name. One title for this kind of error in every service: `TITLE`.
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Final, Union, get_args, get_origin

from fastapi.routing import APIRoute
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from starlette.requests import Request

#: The problem title of every 422 for input that does not validate.
TITLE: Final = "输入无效 (invalid input)"

#: Chinese labels of field names the services share, for fields that declare none.
GLOSSARY: Final[Mapping[str, str]] = {
    "body": "请求体",
    "occurred_on": "业务日期",
    "as_of": "截至日期",
    "village": "村/社区",
    "amount": "金额",
    "name": "名称",
    "id_number": "身份证号",
    "head_id_number": "户主身份证号",
    "head_name": "户主姓名",
    "relation": "与户主关系",
    "members": "成员",
    "expected_version": "预期版本号",
    "reason": "原因",
    "note": "备注",
    "notes": "备注",
    "description": "说明",
    "summary": "摘要",
    "detail": "详情",
    "title": "标题",
    "address": "地址",
    "causes": "致贫原因",
    "income_per_head": "人均纯收入",
    "decision": "决定",
    "grounds": "依据",
    "result": "结果",
    "outcome": "结果",
    "items": "事项",
    "method": "方式",
    "level": "级别",
    "post": "岗位",
    "shifts": "值班安排",
    "talked_by": "谈话人",
    "in_favour": "赞成票数",
    "against": "反对票数",
    "abstaining": "弃权票数",
    "year": "年度",
    "deadline": "时限",
    "due_on": "办理时限",
    "reference": "编号",
    "code": "编号",
    "kind": "类别",
    "status": "状态",
    "page": "页码",
    "limit": "每页条数",
    "offset": "起始位置",
    "programme_id": "资金项目编号",
    "household_id": "贫困户编号",
    "member_id": "党员编号",
    "branch_id": "党支部编号",
}

#: pydantic's error types in zh-CN; `{name}` fields come from the error's context.
MESSAGES: Final[Mapping[str, str]] = {
    "missing": "必须填写",
    "extra_forbidden": "不是可接受的字段，请删除",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "multiple_of": "应为 {multiple_of} 的倍数",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "string_type": "应为文本",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数，不能有小数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字",
    "decimal_parsing": "应为数字（如 2000 或 2000.50）",
    "decimal_type": "应为数字（如 2000 或 2000.50）",
    "decimal_max_digits": "最多 {max_digits} 位数字",
    "decimal_max_places": "最多 {decimal_places} 位小数",
    "decimal_whole_digits": "整数部分最多 {whole_digits} 位",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_type": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），不能带时间",
    "datetime_parsing": "应为日期时间（ISO 8601，如 2016-05-01T09:00:00+08:00）",
    "datetime_type": "应为日期时间（ISO 8601，如 2016-05-01T09:00:00+08:00）",
    "datetime_from_date_parsing": "应为日期时间（ISO 8601，如 2016-05-01T09:00:00+08:00）",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
    "uuid_parsing": "应为 UUID",
    "uuid_type": "应为 UUID",
    "uuid_version": "UUID 版本不符",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "model_type": "应为对象（JSON object）",
    "model_attributes_type": "应为对象（JSON object）",
    "dict_type": "应为对象（JSON object）",
    "list_type": "应为列表（JSON array）",
    "tuple_type": "应为列表（JSON array）",
    "set_type": "应为列表（JSON array）",
    "url_parsing": "应为网址",
    "none_required": "应为空",
}

#: A description's head ends at the first of these (its label), if that is short enough.
_HEAD = re.compile(r"[：:（(，,；;。\s]")
#: A head that lists choices (限期改正、劝其退党、除名) or has no Chinese is no label.
_NOT_A_LABEL = re.compile(r"、|^[^\u4e00-\u9fff]*$")
_MAX_LABEL = 16


def field_errors(errors: Sequence[Any], request: Request | None = None) -> list[dict[str, Any]]:
    """pydantic's errors as problem+json `errors`: the field's path, its Chinese label, a
    message in Chinese naming it, and pydantic's type."""
    roots = _roots(request)
    return [_explain(err, roots) for err in errors]


def message(err: Mapping[str, Any]) -> str:
    """What is wrong, in Chinese, with pydantic's English in parentheses."""
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])  # the project's own validators speak Chinese already
    english = str(err.get("msg", ""))
    template = MESSAGES.get(kind)
    if template is None:
        return f"无效 ({english})" if english else "无效"
    try:
        chinese = template.format(**{k: _plain(v) for k, v in ctx.items()})
    except (KeyError, IndexError):
        chinese = template.split("{")[0].rstrip("：: ")
    return f"{chinese} ({english})" if english else chinese


def _explain(err: Mapping[str, Any], roots: Mapping[str, Any]) -> dict[str, Any]:
    loc = tuple(err.get("loc", ()))
    where, path = (str(loc[0]), loc[1:]) if loc else ("body", ())
    if err.get("type") == "json_invalid":
        path = ()  # its location is a character position, not a field
    field = ".".join(str(p) for p in path) or "body"
    label = _label(roots.get(where), path) if path else GLOSSARY["body"]
    return {
        "field": field,
        "label": label,
        "message": f"{label}：{message(err)}",
        "type": err.get("type", ""),
    }


def _roots(request: Request | None) -> dict[str, Any]:
    """Where each part of a request is declared: the body's model (or its parameters, when
    there are several), and the query, path and header parameters by name."""
    route = request.scope.get("route") if request is not None else None
    if not isinstance(route, APIRoute):
        return {}
    dep = route.dependant
    roots: dict[str, Any] = {
        where: {p.alias: p.field_info for p in params}
        for where, params in (
            ("query", dep.query_params),
            ("path", dep.path_params),
            ("header", dep.header_params),
            ("cookie", dep.cookie_params),
        )
    }
    body = dep.body_params
    if len(body) == 1 and not getattr(body[0].field_info, "embed", False):
        roots["body"] = body[0].field_info.annotation
    else:
        roots["body"] = {p.alias: p.field_info for p in body}
    return roots


def _label(root: Any, path: Sequence[Any]) -> str:
    """The Chinese label of the field at `path` under `root`: a nested field reads as
    "成员 第1项 身份证号"."""
    parts: list[str] = []
    node = root
    for step in path:
        if isinstance(step, int):
            parts.append(f"第{step + 1}项")
            node = _item(node)
            continue
        key = str(step)
        info = _field(node, key)
        parts.append(_own_label(info) or GLOSSARY.get(key) or key)
        node = info.annotation if info is not None else None
    return " ".join(parts)


def _field(node: Any, key: str) -> FieldInfo | None:
    if isinstance(node, Mapping):
        found = node.get(key)
        return found if isinstance(found, FieldInfo) else None
    model = _model(node)
    if model is None:
        return None
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info
    return None


def _own_label(info: FieldInfo | None) -> str | None:
    if info is None:
        return None
    if info.title:
        return info.title
    if info.description:
        head = _HEAD.split(info.description.strip(), maxsplit=1)[0]
        if 0 < len(head) <= _MAX_LABEL and not _NOT_A_LABEL.search(head):
            return head
    return None


def _model(node: Any) -> type[BaseModel] | None:
    """The pydantic model a type annotation stands for (through Optional and Annotated)."""
    if isinstance(node, type) and issubclass(node, BaseModel):
        return node
    if get_origin(node) in (Annotated, Union, types.UnionType):
        for arg in get_args(node):
            if (model := _model(arg)) is not None:
                return model
    return None


def _item(node: Any) -> Any:
    """The element type of a list annotation (through Optional and Annotated)."""
    origin = get_origin(node)
    if origin in (list, tuple, set, frozenset, Sequence):
        args = get_args(node)
        return args[0] if args else None
    if origin in (Annotated, Union, types.UnionType):
        for arg in get_args(node):
            if (item := _item(arg)) is not None:
                return item
    if isinstance(node, FieldInfo):
        return _item(node.annotation)
    return None


def _plain(value: Any) -> str:
    return str(value)
