# Skiff test harness (internal/ftptest/pyftpdlib.go): one pyftpdlib server.
# argv: port pasv_min pasv_max root user [certfile keyfile require_tls]; the
# password in $SKIFF_FTPTEST_PASSWORD.
import logging, os, sys
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer

port, pmin, pmax, root, user = sys.argv[1:6]
tls = sys.argv[6:]
password = os.environ["SKIFF_FTPTEST_PASSWORD"]
auth = DummyAuthorizer()
auth.add_user(user, password, root, perm="elradfmwMT")
handler = FTPHandler
if tls:
    from pyftpdlib.handlers import TLS_FTPHandler
    handler = TLS_FTPHandler
    handler.certfile, handler.keyfile = tls[0], tls[1]
    handler.tls_control_required = handler.tls_data_required = tls[2] == "1"
handler.authorizer = auth
handler.passive_ports = range(int(pmin), int(pmax) + 1)
handler.permit_foreign_addresses = False
logging.basicConfig(level=logging.INFO, stream=sys.stderr)
server = FTPServer(("127.0.0.1", int(port)), handler)
server.serve_forever()
