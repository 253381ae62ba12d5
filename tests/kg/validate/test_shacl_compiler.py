"""Unit tests of :mod:`kg.validate.compiler`: one tiny graph per component, expected results by hand."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from kg.validate.compiler import SH, compile_shapes, path_text, run

PREFIXES = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX ex: <http://ex.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
EX = "http://ex.org/"


def _results(shapes: str, data: str, **kw):
    g = Graph().parse(data=PREFIXES + shapes, format="turtle")
    compiled = compile_shapes(g)
    assert compiled.unsupported == []
    store = ox.Store()
    store.load(PREFIXES + data, format=ox.RdfFormat.TURTLE)
    return run(store, compiled, **kw)


def _short(term) -> str | None:
    if term is None:
        return None
    text = term.value if hasattr(term, "value") else str(term)
    return text.removeprefix(EX).removeprefix(str(SH))


def check(shapes: str, data: str, **kw) -> set[tuple[str | None, ...]]:
    """(focus, component, value) of every result, IRIs shortened."""
    return {
        (_short(r.focus), _short(r.component), _short(r.value))
        for r in _results(shapes, data, **kw)
    }


def prop(constraints: str, target: str = "sh:targetClass ex:C") -> str:
    return f"ex:S a sh:NodeShape ; {target} ; sh:property [ sh:path ex:p ; {constraints} ] ."


# --- targets


def test_target_class_reaches_subclass_instances() -> None:
    data = """ex:D rdfs:subClassOf ex:C . ex:a a ex:D . ex:b a ex:C ; ex:p 1 . ex:c a ex:E ."""
    got = check(prop("sh:minCount 1"), data)
    assert got == {("a", "MinCountConstraintComponent", None)}


def test_target_node_subjects_objects_and_implicit_class() -> None:
    shapes = """
    ex:N a sh:NodeShape ; sh:targetNode ex:x ; sh:class ex:C .
    ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:q ; sh:class ex:C .
    ex:O a sh:NodeShape ; sh:targetObjectsOf ex:q ; sh:class ex:C .
    ex:K a sh:NodeShape, rdfs:Class ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .
    """
    data = "ex:s ex:q ex:o . ex:k a ex:K ."
    got = {(f, c) for f, c, _ in check(shapes, data)}
    assert got == {
        ("x", "ClassConstraintComponent"),
        ("s", "ClassConstraintComponent"),
        ("o", "ClassConstraintComponent"),
        ("k", "MinCountConstraintComponent"),
    }


# --- value type, range, string components


UNIVERSE = {'"x"', '"xa"', '"Ab"', '"a"', '"ab"', '"x"@en', '"x"@fr', "1", "2", "3", "ex:t"}
UNIVERSE |= {"ex:u", "_:b", '"1.5"^^xsd:decimal', '"aldi"^^xsd:integer', '"lit"'}


@pytest.mark.parametrize(
    ("constraint", "accepted"),
    [
        ("sh:class ex:C", {"ex:u"}),
        ("sh:datatype xsd:integer", {"1", "2", "3"}),
        ("sh:nodeKind sh:IRI", {"ex:t", "ex:u"}),
        ("sh:nodeKind sh:Literal", UNIVERSE - {"ex:t", "ex:u", "_:b"}),
        ("sh:in ( ex:t 1 )", {"ex:t", "1"}),
        ('sh:pattern "^a" ; sh:flags "i"', {'"a"', '"ab"', '"Ab"', '"aldi"^^xsd:integer'}),
        (
            "sh:minLength 2",
            {'"xa"', '"Ab"', '"ab"', '"1.5"^^xsd:decimal', '"aldi"^^xsd:integer', '"lit"'}
            | {"ex:t", "ex:u"},
        ),
        ("sh:maxLength 1", {'"x"', '"a"', '"x"@en', '"x"@fr', "1", "2", "3"}),
        ("sh:minInclusive 2", {"2", "3"}),
        ("sh:maxInclusive 2", {"1", "2", '"1.5"^^xsd:decimal'}),
        ("sh:minExclusive 2", {"3"}),
        ("sh:maxExclusive 2", {"1", '"1.5"^^xsd:decimal'}),
        ('sh:languageIn ( "en" )', {'"x"@en'}),
    ],
)
def test_value_components(constraint: str, accepted: set[str]) -> None:
    values = sorted(UNIVERSE)
    data = "ex:u a ex:C . " + " ".join(f"ex:f{i} a ex:C ; ex:p {v} ." for i, v in enumerate(values))
    got = {values[int(f[1:])] for f, _, _ in check(prop(constraint), data)}
    assert got == UNIVERSE - accepted


def test_results_carry_value_path_shape_severity_message() -> None:
    shapes = prop('sh:datatype xsd:string ; sh:severity sh:Warning ; sh:message "no string"')
    (r,) = _results(shapes, "ex:a a ex:C ; ex:p 1 .")
    assert r.focus == ox.NamedNode(EX + "a")
    assert r.value == ox.Literal(
        "1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    )
    assert r.path == URIRef(EX + "p")
    assert r.component == SH.DatatypeConstraintComponent
    assert r.severity == SH.Warning
    assert r.message == "no string"
    assert r.root_shape == URIRef(EX + "S")


# --- cardinality


def test_min_and_max_count() -> None:
    data = "ex:a a ex:C . ex:b a ex:C ; ex:p 1 . ex:c a ex:C ; ex:p 1, 2, 3 ."
    got = check(prop("sh:minCount 1 ; sh:maxCount 2"), data)
    assert got == {
        ("a", "MinCountConstraintComponent", None),
        ("c", "MaxCountConstraintComponent", None),
    }
    assert check(prop("sh:minCount 2"), data) == {
        ("a", "MinCountConstraintComponent", None),
        ("b", "MinCountConstraintComponent", None),
    }
    assert check(prop("sh:maxCount 0"), data) == {
        ("b", "MaxCountConstraintComponent", None),
        ("c", "MaxCountConstraintComponent", None),
    }


def test_qualified_value_shape() -> None:
    shapes = prop(
        "sh:qualifiedValueShape [ sh:class ex:D ] ; sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1"
    )
    data = """ex:d1 a ex:D . ex:d2 a ex:D .
    ex:a a ex:C ; ex:p ex:x . ex:b a ex:C ; ex:p ex:d1, ex:x . ex:c a ex:C ; ex:p ex:d1, ex:d2 ."""
    assert check(shapes, data) == {
        ("a", "QualifiedMinCountConstraintComponent", None),
        ("c", "QualifiedMaxCountConstraintComponent", None),
    }


# --- values of the focus node: hasValue, uniqueLang, pairs


def test_has_value_unique_lang() -> None:
    data = 'ex:a a ex:C ; ex:p ex:v . ex:b a ex:C ; ex:p ex:w, "x"@en, "y"@EN .'
    assert check(prop("sh:hasValue ex:v"), data) == {("b", "HasValueConstraintComponent", None)}
    assert check(prop("sh:uniqueLang true"), data) == {("b", "UniqueLangConstraintComponent", None)}


def test_equals_disjoint_less_than() -> None:
    data = """ex:a a ex:C ; ex:p 1, 2 ; ex:q 2, 3 . ex:b a ex:C ; ex:p 1 ; ex:q 1 .
    ex:c a ex:C ; ex:p 3 ; ex:q 2, 3 ."""
    assert check(prop("sh:equals ex:q"), data) == {
        ("a", "EqualsConstraintComponent", "1"),
        ("a", "EqualsConstraintComponent", "3"),
        ("c", "EqualsConstraintComponent", "2"),
    }
    assert check(prop("sh:disjoint ex:q"), data) == {
        ("a", "DisjointConstraintComponent", "2"),
        ("b", "DisjointConstraintComponent", "1"),
        ("c", "DisjointConstraintComponent", "3"),
    }
    assert check(prop("sh:lessThan ex:q"), data) == {
        ("a", "LessThanConstraintComponent", "2"),
        ("b", "LessThanConstraintComponent", "1"),
        ("c", "LessThanConstraintComponent", "3"),
    }
    assert check(prop("sh:lessThanOrEquals ex:q"), data) == {
        ("c", "LessThanOrEqualsConstraintComponent", "3")
    }


def test_closed() -> None:
    shapes = """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ;
        sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ;
        sh:property [ sh:path ex:p ] ."""
    data = "ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:p 1 ; ex:r 2 ."
    (r,) = _results(shapes, data)
    assert (_short(r.focus), _short(r.path), _short(r.value)) == ("b", "r", "2")


# --- logical and shape-based components


def test_node_not_and_or_xone() -> None:
    shapes = """
    ex:Int a sh:NodeShape ; sh:datatype xsd:integer .
    ex:Big a sh:NodeShape ; sh:minInclusive 10 .
    ex:N a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:Int ] .
    ex:T a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:not ex:Big ] .
    ex:A a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:and ( ex:Int ex:Big ) ] .
    ex:O a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:or ( ex:Int ex:Big ) ] .
    ex:X a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:xone ( ex:Int ex:Big ) ] .
    """
    data = 'ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:p 11 . ex:c a ex:C ; ex:p "x" .'
    got = {(f, c) for f, c, _ in check(shapes, data)}
    assert got == {
        ("c", "NodeConstraintComponent"),
        ("b", "NotConstraintComponent"),
        ("a", "AndConstraintComponent"),
        ("c", "AndConstraintComponent"),
        ("c", "OrConstraintComponent"),
        ("b", "XoneConstraintComponent"),
        ("c", "XoneConstraintComponent"),
    }


def test_nested_property_shapes_and_node_level_or() -> None:
    shapes = """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
      sh:or ( [ sh:path ex:p ; sh:minCount 2 ]
              [ sh:and ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:path ex:k ; sh:minCount 1 ] ) ] ) ;
      sh:property [ sh:path ex:p ; sh:property [ sh:path ex:q ; sh:minCount 1 ] ] ."""
    data = """ex:a a ex:C ; ex:p ex:x, ex:y . ex:b a ex:C ; ex:p ex:x ; ex:k 1 .
      ex:c a ex:C ; ex:p ex:x . ex:x ex:q 1 ."""
    got = {(f, c) for f, c, _ in check(shapes, data)}
    assert got == {("c", "OrConstraintComponent"), ("y", "MinCountConstraintComponent")}


def test_deactivated_shapes_are_skipped() -> None:
    shapes = """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ; sh:class ex:D .
    ex:T a sh:NodeShape ; sh:targetClass ex:C ;
      sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:deactivated true ] ;
      sh:node [ sh:class ex:D ; sh:deactivated true ] ."""
    assert check(shapes, "ex:a a ex:C .") == set()


# --- paths


@pytest.mark.parametrize(
    ("path", "focus"),
    [
        ("( ex:p ex:q )", {"a"}),
        ("[ sh:alternativePath ( ex:p ex:r ) ]", {"a", "b", "m"}),
        ("[ sh:inversePath ex:p ]", {"m"}),
        ("( [ sh:inversePath ex:q ] [ sh:inversePath ex:p ] )", {"e"}),
        ("[ sh:zeroOrMorePath ex:p ]", {"a", "b", "m", "e", "z"}),
        ("[ sh:oneOrMorePath ex:p ]", {"a", "m"}),
        ("[ sh:zeroOrOnePath ex:p ]", {"a", "b", "m", "e", "z"}),
    ],
)
def test_paths(path: str, focus: set[str]) -> None:
    shapes = f"""ex:S a sh:NodeShape ; sh:targetNode ex:a, ex:b, ex:m, ex:e, ex:z ;
        sh:property [ sh:path {path} ; sh:minCount 1 ] ."""
    data = "ex:a ex:p ex:m . ex:m ex:p ex:n . ex:m ex:q ex:e . ex:b ex:r ex:e . ex:z ex:s 1 ."
    missing = {f for f, _, _ in check(shapes, data)}
    assert {"a", "b", "m", "e", "z"} - missing == focus


def test_sequence_paths_become_triple_patterns() -> None:
    """A SPARQL sequence path inside NOT EXISTS runs for minutes on Oxigraph at 1M triples."""
    g = Graph().parse(
        data=PREFIXES
        + prop("sh:minCount 1", "sh:targetClass ex:C").replace("ex:p", "( ex:p ex:q )"),
        format="turtle",
    )
    (q,) = compile_shapes(g).queries
    assert ">/<" not in q.sparql
    assert path_text(g, q.path) == "(<http://ex.org/p>/<http://ex.org/q>)"


# --- SPARQL-based constraints


def test_sparql_constraint_with_this_path_and_message() -> None:
    shapes = """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
      sh:property [ sh:path ex:p ;
        sh:sparql [ sh:message "p is {?v}" ;
          sh:select "SELECT $this ?v WHERE { $this $PATH ?v FILTER(?v > 1) }" ] ] ;
      sh:sparql [ sh:message "no q" ; sh:select "SELECT $this WHERE { FILTER NOT EXISTS { $this ex:q ?x } }" ;
        sh:prefixes ex:decl ] .
    ex:decl sh:declare [ sh:prefix "ex" ; sh:namespace "http://ex.org/"^^xsd:anyURI ] ."""
    data = "ex:a a ex:C ; ex:p 1 ; ex:q 1 . ex:b a ex:C ; ex:p 2 ."
    got = {(_short(r.focus), r.message) for r in _results(shapes, data)}
    assert got == {("b", "p is 2"), ("b", "no q")}


# --- what cannot be compiled, and run() options


def test_unsupported_components_are_listed() -> None:
    shapes = """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:js [ ] .
    ex:R a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:R2 .
    ex:R2 a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:node ex:R2 ] .
    ex:OK a sh:NodeShape ; sh:targetClass ex:C ; sh:class ex:D ."""
    compiled = compile_shapes(Graph().parse(data=PREFIXES + shapes, format="turtle"))
    assert {str(c).rsplit("#", 1)[-1] for _, c in compiled.unsupported} == {
        "JsConstraintComponent",
        "recursiveShape",
    }
    assert set(compiled.skipped_roots) == {URIRef(EX + "S"), URIRef(EX + "R")}
    assert compiled.roots == [URIRef(EX + "OK")]


def test_focus_nodes_and_default_graph_only() -> None:
    shapes = prop("sh:minCount 1")
    data = "ex:a a ex:C . ex:b a ex:C ."
    assert check(shapes, data, focus_nodes={ox.NamedNode(EX + "a")}) == {
        ("a", "MinCountConstraintComponent", None)
    }
    g = Graph().parse(data=PREFIXES + shapes, format="turtle")
    store = ox.Store()
    store.add(
        ox.Quad(
            ox.NamedNode(EX + "a"),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(EX + "C"),
            ox.NamedNode(EX + "g"),
        )
    )
    assert len(run(store, compile_shapes(g))) == 1
    assert run(store, compile_shapes(g), union_default_graph=False) == []


def test_shapes_on_the_same_path_share_one_query() -> None:
    shapes = """ex:A a sh:NodeShape ; sh:targetClass ex:C ;
        sh:property [ sh:path ex:p ; sh:datatype xsd:integer ; sh:message "A" ] .
    ex:B a sh:NodeShape ; sh:targetClass ex:C ; sh:severity sh:Warning ;
        sh:property [ sh:path ex:p ; sh:maxInclusive 5 ; sh:severity sh:Warning ; sh:message "B" ] ."""
    g = Graph().parse(data=PREFIXES + shapes, format="turtle")
    (q,) = compile_shapes(g).queries
    assert [c.root for c in q.checks] == [URIRef(EX + "A"), URIRef(EX + "B")]
    got = {
        (_short(r.value), _short(r.root_shape), _short(r.severity), r.message)
        for r in _results(shapes, 'ex:a a ex:C ; ex:p 7, "x" .')
    }
    assert got == {
        ("x", "A", "Violation", "A"),
        ("7", "B", "Warning", "B"),
        ("x", "B", "Warning", "B"),
    }
