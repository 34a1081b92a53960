# A small Django suite that exercises what parse_log_django reads at verbosity 2.
import sys
import unittest

from django.test import SimpleTestCase, TestCase

from .models import Item


class ItemTests(TestCase):
    def test_create(self):
        Item.objects.create(name="a")
        self.assertEqual(Item.objects.count(), 1)

    def test_fails(self):
        self.assertEqual(Item.objects.count(), 5)

    def test_errors(self):
        raise KeyError("missing")

    @unittest.skip("needs a network")
    def test_skipped(self):
        pass

    @unittest.expectedFailure
    def test_expected_failure(self):
        self.assertTrue(False)

    @unittest.expectedFailure
    def test_unexpected_success(self):
        self.assertTrue(True)


class DocstringTests(SimpleTestCase):
    def test_one_line_docstring(self):
        """Adds two numbers."""
        self.assertEqual(1 + 1, 2)

    def test_multi_line_docstring(self):
        """
        Checks the total
        over two lines.
        """
        self.assertEqual(2 * 2, 4)

    def test_noisy(self):
        # writes between the "..." and the "ok" of its own result line
        sys.stderr.write("Internal Server Error: /shop/\n")
        sys.stderr.flush()

    def test_subtests(self):
        for i in range(3):
            with self.subTest(i=i):
                self.assertNotEqual(i, 1)
