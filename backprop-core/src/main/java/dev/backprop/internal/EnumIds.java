package dev.backprop.internal;

import dev.backprop.InvalidSettingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ids by which settings, the command line and model files name the constants of an enum: the constant's
 * name in lower case, words joined by dashes ({@code HE_UNIFORM} is {@code he-uniform}). One rule for every
 * enum, so that an id and its parse can never drift apart.
 */
public final class EnumIds {
  private EnumIds() {}

  /** The id of {@code constant}, e.g. {@code "he-uniform"} for {@code HE_UNIFORM}. */
  public static String id(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The ids of every constant of {@code type}, in declaration order. */
  public static <E extends Enum<E>> List<String> ids(Class<E> type) {
    List<String> ids = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      ids.add(id(constant));
    }
    return List.copyOf(ids);
  }

  /**
   * The constant of {@code type} whose {@linkplain #id id} is {@code id}.
   *
   * @param setting the setting's name in the Java API, e.g. {@code "optimizer"}, for the error
   * @throws InvalidSettingException naming the setting, the id given and every accepted id
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String setting, String id) {
    for (E constant : type.getEnumConstants()) {
      if (id(constant).equals(id)) {
        return constant;
      }
    }
    throw new InvalidSettingException(setting, "'" + id + "'", "one of " + String.join(", ", ids(type)));
  }
}
