"""A real IMAP server for the tests: Debian's dovecot, started on a free port in a temporary
directory (users from a static file, mail in a Maildir), with STARTTLS on a certificate made
for the run. A TCP relay in front of it can cut the connection part-way."""

import imaplib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from pathlib import Path

DOVECOT = Path("/usr/sbin/dovecot")
OPENSSL = shutil.which("openssl")
USER = "klachten"
PASSWORD = "mailbox-test-password"
FLAG = "$KlachtrouteVerwerkt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ImapServer:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="klachtroute-dovecot-"))
        self.port = free_port()
        self.cafile = str(self.dir / "cert.pem")
        self.process = None

    def start(self) -> None:
        d = self.dir
        subprocess.run(
            [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
            + ["-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
            + ["-keyout", str(d / "key.pem"), "-out", self.cafile],
            check=True,
            capture_output=True,
        )
        if os.geteuid() == 0:  # dovecot refuses to run its login process as root
            user, group = "nobody", "nogroup"
        else:
            entry = pwd.getpwuid(os.geteuid())
            user, group = entry.pw_name, os.getgid()
            group = __import__("grp").getgrgid(group).gr_name
        d.chmod(0o755)  # the auth process (another user when run as root) reads the users file
        for sub in ("mail", "home"):
            (d / sub).mkdir()
            shutil.chown(d / sub, user, group)
        (d / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        (d / "dovecot.conf").write_text(
            f"""
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{d}/cert.pem
ssl_key = <{d}/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain login
default_login_user = {user}
default_internal_user = {user}
default_internal_group = {group}
mail_location = maildir:{d}/mail/%u
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={d}/home/%u
}}
"""
        )
        self.process = subprocess.Popen(  # noqa: S603
            [str(DOVECOT), "-F", "-c", str(d / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                self.client().logout()
                return
            except (OSError, imaplib.IMAP4.error):
                time.sleep(0.2)
        log = (d / "dovecot.log").read_text() if (d / "dovecot.log").exists() else ""
        self.stop()
        raise RuntimeError(f"dovecot did not start:\n{log}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def client(self) -> imaplib.IMAP4:
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        connection.starttls(ssl_context=ssl.create_default_context(cafile=self.cafile))
        connection.login(USER, PASSWORD)
        connection.select("INBOX")
        return connection

    def deliver(self, raw: bytes) -> None:
        connection = self.client()
        try:
            status, _ = connection.append("INBOX", None, None, raw)
            assert status == "OK"
        finally:
            connection.logout()

    def empty(self) -> None:
        connection = self.client()
        try:
            _status, data = connection.search(None, "ALL")
            if data and data[0]:
                connection.store("1:*", "+FLAGS", r"(\Deleted)")
                connection.expunge()
        finally:
            connection.logout()

    def handled(self) -> list[bool]:
        """For each message in the mailbox, in order: flagged as handled?"""
        connection = self.client()
        try:
            _status, data = connection.search(None, "ALL")
            if not data or not data[0]:
                return []
            status, data = connection.fetch("1:*", "(FLAGS)")
            return [FLAG.encode() in line for line in data if isinstance(line, bytes)]
        finally:
            connection.logout()


class CuttingRelay:
    """Relays 127.0.0.1:port to the server and closes the connection once `cut_after`
    bytes have come back from the server: a connection that drops mid-fetch."""

    def __init__(self, target_port: int, cut_after: int):
        self.target_port = target_port
        self.cut_after = cut_after
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            client, _ = self.listener.accept()
        except OSError:
            return
        server = socket.create_connection(("127.0.0.1", self.target_port))
        sent = 0

        def upstream():
            try:
                while data := client.recv(65536):
                    server.sendall(data)
            except OSError:
                pass

        threading.Thread(target=upstream, daemon=True).start()
        try:
            while sent < self.cut_after and (data := server.recv(4096)):
                data = data[: self.cut_after - sent]
                client.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            for s in (client, server):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def close(self) -> None:
        self.listener.close()
