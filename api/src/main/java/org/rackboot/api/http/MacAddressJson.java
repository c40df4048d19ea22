package org.rackboot.api.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import org.rackboot.dhcp.wire.MacAddress;

/**
 * The one MAC type in JSON: written in its lower-case colon form, read from any of the notations
 * {@link MacAddress#parse} accepts. The protocol module that owns the type knows nothing of
 * Jackson, so the mapping lives here, at the API's edge.
 */
public final class MacAddressJson extends SimpleModule {

  public MacAddressJson() {
    super("rackboot-mac-address");
    addSerializer(MacAddress.class, new JsonSerializer<>() {
      @Override
      public void serialize(MacAddress mac, JsonGenerator gen, SerializerProvider sp)
          throws IOException {
        gen.writeString(mac.toString());
      }
    });
    addDeserializer(MacAddress.class, new JsonDeserializer<>() {
      @Override
      public MacAddress deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
          return (MacAddress) ctxt.handleUnexpectedToken(MacAddress.class, p);
        }
        try {
          return MacAddress.parse(p.getText());
        } catch (IllegalArgumentException e) {
          // The error mapper turns this into a 422 naming the field, with parse's message.
          throw JsonMappingException.from(p, e.getMessage(), e);
        }
      }
    });
  }
}
