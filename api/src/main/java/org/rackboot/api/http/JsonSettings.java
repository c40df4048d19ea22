package org.rackboot.api.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import org.rackboot.api.core.Texts;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Strict JSON for the API: unknown fields, duplicate keys, trailing garbage and type coercions
 * (a number where a string belongs, "12" where a number belongs) are refused instead of being
 * silently guessed at. Applied to the application's ObjectMapper, so every resource gets it.
 */
public final class JsonSettings {

  private JsonSettings() {}

  /**
   * Every JSON string field refuses a lone UTF-16 surrogate ("\\ud800" in JSON): it is no
   * character, MariaDB would store it as another one, and so what a client wrote would not be
   * what it reads back. Refused at the edge, so no field can forget it (422 naming the field).
   */
  static final class WholeCharacters extends StdScalarDeserializer<String> {
    WholeCharacters() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String s = StringDeserializer.instance.deserialize(p, ctxt);
      int at = s == null ? -1 : Texts.unpairedSurrogate(s);
      if (at >= 0) {
        throw JsonMappingException.from(p, "must be valid Unicode text; a lone UTF-16"
            + " surrogate is at index " + at);
      }
      return s;
    }
  }

  public static ObjectMapper apply(ObjectMapper m) {
    m.registerModule(new MacAddressJson());
    m.registerModule(new SimpleModule("rackboot-unicode").addDeserializer(String.class,
        new WholeCharacters()));
    m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    m.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    m.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    for (CoercionInputShape shape : new CoercionInputShape[] {
        CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
      m.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    for (LogicalType t : new LogicalType[] {
        LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
      m.coercionConfigFor(t).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float,
        CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer,
        CoercionAction.Fail);
    return m;
  }
}
