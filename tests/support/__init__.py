"""What every test folder shares: the desk harness (tests/support/harness.py) and the fake WeChat/WeCom APIs."""
