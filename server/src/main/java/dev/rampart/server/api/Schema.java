package dev.rampart.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.server.Json;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema (2020-12, as OpenAPI 3.1 uses it) of a request or response body. Records describe themselves: their
 * components become required properties, so a response record and its schema cannot disagree; bodies still built by
 * hand are described with the same vocabulary in the route table, and the server suites check every answer against it.
 */
sealed interface Schema {
  /** A string, optionally one of {@code values}. */
  record Str(List<String> values) implements Schema {}

  record Int() implements Schema {}

  record Num() implements Schema {}

  record Bool() implements Schema {}

  /** Any JSON value: documents the server stores as given (a predicate, a policy's metadata, a report). */
  record Any() implements Schema {}

  record Arr(Schema items) implements Schema {}

  /** A map from names to values of one schema. */
  record MapOf(Schema values) implements Schema {}

  /** An object with the named properties, the required ones listed; no others unless it is open. */
  record Obj(Map<String, Schema> properties, List<String> required, boolean open) implements Schema {}

  /** A named record, described once under components/schemas. */
  record Ref(Class<? extends Record> type) implements Schema {}

  /** A value or null. */
  record Nullable(Schema of) implements Schema {}

  /** One of several shapes. */
  record AnyOf(List<Schema> options) implements Schema {}

  Schema STRING = new Str(List.of());
  Schema INTEGER = new Int();
  Schema NUMBER = new Num();
  Schema BOOLEAN = new Bool();
  Schema ANY = new Any();

  static Schema strings() {
    return new Arr(STRING);
  }

  static Schema array(Schema items) {
    return new Arr(items);
  }

  static Schema of(Class<? extends Record> type) {
    return new Ref(type);
  }

  static Schema oneOf(String... values) {
    return new Str(List.of(values));
  }

  static Schema nullable(Schema s) {
    return new Nullable(s);
  }

  static Schema anyOf(Schema... options) {
    return new AnyOf(List.of(options));
  }

  /** An object; a property name ending in '?' is optional. */
  static Schema object(Object... nameThenSchema) {
    var props = new LinkedHashMap<String, Schema>();
    var required = new java.util.ArrayList<String>();
    for (int i = 0; i < nameThenSchema.length; i += 2) {
      String name = (String) nameThenSchema[i];
      boolean optional = name.endsWith("?");
      name = optional ? name.substring(0, name.length() - 1) : name;
      props.put(name, (Schema) nameThenSchema[i + 1]);
      if (!optional) {
        required.add(name);
      }
    }
    return new Obj(props, required, false);
  }

  /** An object with at least these properties (a document defined elsewhere, such as a Sigstore bundle). */
  static Schema open(Object... nameThenSchema) {
    var closed = (Obj) object(nameThenSchema);
    return new Obj(closed.properties(), closed.required(), true);
  }

  /** The schema of a Java type used in a record component. */
  @SuppressWarnings("unchecked")
  static Schema ofType(Type t) {
    if (t instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      if (List.class.isAssignableFrom(raw) || java.util.Set.class.isAssignableFrom(raw)) {
        return new Arr(ofType(p.getActualTypeArguments()[0]));
      }
      if (Map.class.isAssignableFrom(raw)) {
        return new MapOf(ofType(p.getActualTypeArguments()[1]));
      }
      if (java.util.Optional.class.equals(raw)) {
        return new Nullable(ofType(p.getActualTypeArguments()[0]));
      }
      throw new IllegalArgumentException("no schema for " + t);
    }
    Class<?> c = (Class<?>) t;
    if (c == String.class || c == java.time.OffsetDateTime.class || c == java.time.Instant.class) {
      return STRING;
    }
    if (c == int.class || c == long.class || c == Integer.class || c == Long.class) {
      return INTEGER;
    }
    if (c == double.class || c == Double.class || c == float.class) {
      return NUMBER;
    }
    if (c == boolean.class || c == Boolean.class) {
      return BOOLEAN;
    }
    if (JsonNode.class.isAssignableFrom(c) || c == Object.class) {
      return ANY;
    }
    if (c.isEnum()) {
      var values = new java.util.ArrayList<String>();
      for (Object e : c.getEnumConstants()) {
        values.add(Json.MAPPER.valueToTree(e).asText());
      }
      return new Str(values);
    }
    if (c.isRecord()) {
      return new Ref((Class<? extends Record>) c);
    }
    throw new IllegalArgumentException("no schema for " + c);
  }

  /** The properties of a record: every component, required unless it is nullable. */
  static Obj ofRecord(Class<? extends Record> type) {
    var props = new LinkedHashMap<String, Schema>();
    var required = new java.util.ArrayList<String>();
    for (RecordComponent rc : type.getRecordComponents()) {
      Schema s = ofType(rc.getGenericType());
      boolean optional = rc.isAnnotationPresent(dev.rampart.server.domain.Nullable.class);
      var renamed = rc.getAccessor().getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      String name = renamed == null ? rc.getName() : renamed.value();
      props.put(name, optional ? new Nullable(s) : s);
      if (!optional) {
        required.add(name);
      }
    }
    return new Obj(props, required, false);
  }

  /** This schema as JSON Schema; records are referenced and collected into {@code components}. */
  default ObjectNode toJson(Map<Class<? extends Record>, ObjectNode> components) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    switch (this) {
      case Str s -> {
        o.put("type", "string");
        if (!s.values().isEmpty()) {
          s.values().forEach(o.putArray("enum")::add);
        }
      }
      case Int i -> o.put("type", "integer");
      case Num n -> o.put("type", "number");
      case Bool b -> o.put("type", "boolean");
      case Any a -> { }
      case Arr a -> o.put("type", "array").set("items", a.items().toJson(components));
      case MapOf m -> o.put("type", "object").set("additionalProperties", m.values().toJson(components));
      case Obj obj -> {
        o.put("type", "object");
        var props = o.putObject("properties");
        obj.properties().forEach((k, v) -> props.set(k, v.toJson(components)));
        if (!obj.required().isEmpty()) {
          obj.required().forEach(o.putArray("required")::add);
        }
        if (!obj.open()) {
          o.put("additionalProperties", false);
        }
      }
      case Ref r -> {
        if (!components.containsKey(r.type())) {
          components.put(r.type(), Json.MAPPER.createObjectNode()); // placeholder against recursion
          components.put(r.type(), ofRecord(r.type()).toJson(components));
        }
        o.put("$ref", "#/components/schemas/" + r.type().getSimpleName());
      }
      case AnyOf any -> {
        var options = o.putArray("anyOf");
        any.options().forEach(x -> options.add(x.toJson(components)));
      }
      case Nullable n -> {
        var any = o.putArray("oneOf");
        any.add(n.of().toJson(components));
        any.addObject().put("type", "null");
      }
    }
    return o;
  }
}
