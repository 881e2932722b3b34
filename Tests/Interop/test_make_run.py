"""`make run`'s serving step as a newcomer meets it: the environment wins over `.env`."""
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import requests

from conftest import ROOT, free_port


def test_the_environment_wins_over_dot_env_for_every_variable():
    binary = os.environ["AUTHSERVER_BINARY"]
    checkout = Path(tempfile.mkdtemp(prefix="authserver-make-run-"))
    (checkout / "scripts").mkdir()
    for script in ["run.sh", "postgres.sh"]:
        shutil.copy(ROOT / "scripts" / script, checkout / "scripts" / script)
    port_in_file, port_in_environment = free_port(), free_port()
    (checkout / ".env").write_text(
        f"PORT={port_in_file}\nHOST=127.0.0.1\nLOG_LEVEL=info\nDATABASE_URL=postgresql://nobody@127.0.0.1:1/nothing\n"
        f"JWT_ACCESS_SECRET={'f' * 40}\nSERVER_SECRET={'s' * 40}\nMIGRATIONS_DIR={ROOT / 'Migrations'}\n")
    environment = {
        "PATH": os.environ["PATH"], "AUTHSERVER_BINARY": binary, "PORT": str(port_in_environment),
        "DATABASE_URL": os.environ["TEST_DATABASE_URL"], "LOG_LEVEL": "warning",
    }
    process = subprocess.Popen(["scripts/run.sh"], cwd=checkout, env=environment,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                health = requests.get(f"http://127.0.0.1:{port_in_environment}/health", timeout=1)
                break
            except requests.ConnectionError:
                assert process.poll() is None, "the server exited"
                time.sleep(0.1)
        else:
            raise AssertionError(f"nothing answered on PORT={port_in_environment} from the environment")
        # DATABASE_URL from the environment too: the database is up, not the .env's dead one.
        assert health.status_code == 200 and health.json()["database"] == "up"
        try:
            requests.get(f"http://127.0.0.1:{port_in_file}/health", timeout=1)
            raise AssertionError(f"the server also answered on .env's PORT={port_in_file}")
        except requests.ConnectionError:
            pass
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
        shutil.rmtree(checkout, ignore_errors=True)
