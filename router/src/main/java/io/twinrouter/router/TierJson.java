package io.twinrouter.router;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.twinrouter.config.Tier;
import java.io.IOException;

/** Tiers travel by their public names ({@code low}, {@code mid_high}...), never by enum name. */
final class TierJson {
  private TierJson() {}

  static SimpleModule module() {
    SimpleModule m = new SimpleModule("twinrouter-tier");
    m.addSerializer(Tier.class, new Serializer());
    m.addDeserializer(Tier.class, new Deserializer());
    return m;
  }

  static final class Serializer extends StdSerializer<Tier> {
    Serializer() {
      super(Tier.class);
    }

    @Override
    public void serialize(Tier tier, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(tier.wireName());
    }
  }

  static final class Deserializer extends StdDeserializer<Tier> {
    Deserializer() {
      super(Tier.class);
    }

    @Override
    public Tier deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      try {
        return Tier.fromName(p.getValueAsString());
      } catch (IllegalArgumentException e) {
        return (Tier) ctx.handleWeirdStringValue(Tier.class, p.getText(), e.getMessage());
      }
    }
  }
}
