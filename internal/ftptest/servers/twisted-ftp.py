# Skiff test harness (internal/ftptest/twisted.go): one Twisted FTP server
# (twisted.protocols.ftp). argv: port pasv_min pasv_max root user; the
# password in $SKIFF_FTPTEST_PASSWORD.
import os
import sys

from twisted.cred.checkers import InMemoryUsernamePasswordDatabaseDontUse
from twisted.cred.portal import Portal
from twisted.internet import reactor
from twisted.protocols.ftp import FTP, BaseFTPRealm, FTPFactory
from twisted.python import filepath, log

port, pmin, pmax, root, user = sys.argv[1:6]
password = os.environ["SKIFF_FTPTEST_PASSWORD"]


class Realm(BaseFTPRealm):
    """Every user's home is root."""

    def getHomeDirectory(self, avatarId):
        return filepath.FilePath(root)


# Passive data ports on 127.0.0.1 only (Twisted listens on every address).
FTP.listenFactory = staticmethod(
    lambda port, factory: reactor.listenTCP(port, factory, interface="127.0.0.1"))

checker = InMemoryUsernamePasswordDatabaseDontUse()
# ftp_PASS hands the checker str credentials.
checker.addUser(user, password)
factory = FTPFactory(Portal(Realm(root), [checker]))
factory.allowAnonymous = False
factory.passivePortRange = range(int(pmin), int(pmax) + 1)
log.startLogging(sys.stderr)
reactor.listenTCP(int(port), factory, interface="127.0.0.1")
reactor.run()
