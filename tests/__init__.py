"""The test suite; its layout mirrors bot/ and actions/."""
