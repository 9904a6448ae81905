"""The demo of `make run` (演示): its users and what every demo loader shares. Not part of the
services' runtime package (`shared`): only the demo loaders, the local dashboard's demo login
(`LIANXIN_DEMO_LOGIN=1`, development only) and the tests use it."""
