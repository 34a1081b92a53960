package io.twinrouter.bank.json;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;

/**
 * Python's {@code repr(float)}: the shortest digits that round-trip, in fixed notation when the
 * decimal exponent is in [-4, 16) and in {@code 1e-05} style otherwise. JDK 17's {@link
 * Double#toString} is not always shortest, so the digits come from Jackson's Schubfach port.
 */
public final class PyFloat {
  private PyFloat() {}

  public static String repr(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    return format(d);
  }

  /** The text {@code json.dumps} writes: like repr, but {@code NaN}/{@code Infinity}. */
  public static String json(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    return format(d);
  }

  private static String format(double d) {
    String java = DoubleToDecimal.toString(d);
    boolean negative = java.startsWith("-");
    String s = negative ? java.substring(1) : java;
    int e = s.indexOf('E');
    String mantissa = e < 0 ? s : s.substring(0, e);
    int exp = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
    int dot = mantissa.indexOf('.');
    String digits = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
    // value = 0.digits * 10^pointPos
    int pointPos = dot + exp;
    int lead = 0;
    while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
      lead++;
    }
    digits = digits.substring(lead);
    pointPos -= lead;
    int end = digits.length();
    while (end > 1 && digits.charAt(end - 1) == '0') {
      end--;
    }
    digits = digits.substring(0, end);
    if (digits.length() == 2) {
      // Java prints at least two digits; Python's shortest may be one (5e-324, not 4.9e-324)
      int rounded = (Integer.parseInt(digits) + 5) / 10;
      String one = rounded == 10 ? "1" : Integer.toString(rounded);
      int onePoint = rounded == 10 ? pointPos + 1 : pointPos;
      if (Double.parseDouble("0." + one + "E" + onePoint) == Math.abs(d)) {
        digits = one;
        pointPos = onePoint;
      }
    }
    StringBuilder out = new StringBuilder(24);
    if (negative) {
      out.append('-');
    }
    if (digits.equals("0")) {
      return out.append("0.0").toString();
    }
    int sciExp = pointPos - 1;
    if (sciExp < -4 || sciExp >= 16) {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      out.append('e').append(sciExp < 0 ? '-' : '+');
      int abs = Math.abs(sciExp);
      if (abs < 10) {
        out.append('0');
      }
      return out.append(abs).toString();
    }
    if (pointPos <= 0) {
      out.append("0.");
      out.append("0".repeat(-pointPos));
      return out.append(digits).toString();
    }
    if (pointPos >= digits.length()) {
      out.append(digits).append("0".repeat(pointPos - digits.length()));
      return out.append(".0").toString();
    }
    return out.append(digits, 0, pointPos).append('.').append(digits, pointPos, digits.length())
        .toString();
  }
}
