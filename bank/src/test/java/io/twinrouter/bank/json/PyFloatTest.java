package io.twinrouter.bank.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PyFloatTest {
  @Test
  void matchesPythonRepr() {
    assertEquals("1e-07", PyFloat.repr(1e-7));
    assertEquals("1e-05", PyFloat.repr(1e-5));
    assertEquals("0.0001", PyFloat.repr(1e-4));
    assertEquals("3.9960000000000004e-05", PyFloat.repr(3.9960000000000004e-05));
    assertEquals("10.0", PyFloat.repr(10.0));
    assertEquals("100.0", PyFloat.repr(100.0));
    assertEquals("0.0", PyFloat.repr(0.0));
    assertEquals("-0.0", PyFloat.repr(-0.0));
    assertEquals("1000000000000000.0", PyFloat.repr(1e15));
    assertEquals("1e+16", PyFloat.repr(1e16));
    assertEquals("1.5e+300", PyFloat.repr(1.5e300));
    assertEquals("5e-324", PyFloat.repr(Double.MIN_VALUE));
    assertEquals("0.1", PyFloat.repr(0.1));
    assertEquals("0.30000000000000004", PyFloat.repr(0.1 + 0.2));
    assertEquals("0.002", PyFloat.repr(2e-3));
    assertEquals("123.456", PyFloat.repr(123.456));
    assertEquals("NaN", PyFloat.json(Double.NaN));
    assertEquals("nan", PyFloat.repr(Double.NaN));
  }

  @Test
  void reprOfStringsQuotesLikePython() {
    StringBuilder s = new StringBuilder();
    PyRepr.reprString("it's", s);
    assertEquals("\"it's\"", s.toString());
    s.setLength(0);
    PyRepr.reprString("a\u0001\u00a0é\u2028🚀'\"", s);
    assertEquals("'a\\x01\\xa0é\\u2028🚀\\'\"'", s.toString());
  }
}
