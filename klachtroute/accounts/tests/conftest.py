"""Fixtures for the login security tests."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "geheim-wachtwoord-1"  # UserFactory's password
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    """A stopped clock at START; clock.shift(seconds) moves it on."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def password_login():
    """password_login(username, password=PASSWORD, client=None, ip=...) -> (client, response)."""

    def _login(username, password=PASSWORD, client=None, ip="192.0.2.10"):
        client = client or Client(REMOTE_ADDR=ip)
        response = client.post(
            "/inloggen/", {"username": username, "password": password}, REMOTE_ADDR=ip
        )
        return client, response

    return _login


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator app shows for this device right now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def totp_device():
    """totp_device(user) -> a confirmed authenticator app for that person."""

    def _make(user):
        return TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)

    return _make


@pytest.fixture
def login_client():
    """login_client(user) -> a test client with that person logged in (password step done)."""

    def _login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login
