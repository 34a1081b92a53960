package io.twinrouter.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImageNamesTest {

  @Test
  void followsSweBenchNamingRemoteAndLocal() {
    assertEquals(
        "swebench/sweb.eval.x86_64.django_1776_django-11095:latest",
        ImageNames.forInstance("django__django-11095", "swebench", "sweb.eval.{arch}.{id}:latest",
            "x86_64"));
    // a locally built image (no namespace) keeps the double underscore, as SWE-bench names it
    assertEquals(
        "sweb.eval.arm64.astropy__astropy-12907:latest",
        ImageNames.forInstance("astropy__astropy-12907", "", "sweb.eval.{arch}.{id}:latest",
            "arm64"));
  }

  @Test
  void lowerCasesTheInstanceId() {
    assertEquals(
        "ns/sweb.eval.x86_64.sympy_1776_sympy-20590:v2",
        ImageNames.forInstance("SymPy__SymPy-20590", "ns", "sweb.eval.x86_64.{id}:v2", "arm64"));
  }

  @Test
  void theConfiguredDefaultsGiveTheSweBenchName() {
    assertEquals(
        "swebench/sweb.eval.x86_64.django_1776_django-11095:latest",
        ImageNames.forInstance("django__django-11095", SandboxSettings.load()));
    assertEquals(
        "sweb.eval.arm64.django__django-11095:latest",
        ImageNames.forInstance("django__django-11095",
            SandboxSettings.load().withImageNaming("", null, "arm64")));
  }

  @Test
  void aTemplateWithoutThePlaceholderIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> ImageNames.forInstance("a__b-1", "x", "fixed:latest", "x86_64"));
  }
}
