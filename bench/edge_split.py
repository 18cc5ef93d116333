"""Edge cost split (issue 12A): webhook with a no-op pipeline, with and without the nonce insert and the intake thread hop.

Usage: .venv/bin/python bench/edge_split.py sqlite|postgresql
"""
import sys, statistics
sys.path.insert(0, 'bench')
from webhook_cost import bench_app, measure
from bot.app import create_app
from bot.domain import Reply
db = sys.argv[1]
with bench_app(db) as (settings, services, app, sim):
    measure(app, sim, 30)
    services.pipeline.process = lambda msg: Reply("收到")
    edge_app = create_app(settings, services)
    measure(edge_app, sim, 30)
    print(db, "edge (intake + nonce)  median %.0f µs" % statistics.median(measure(edge_app, sim, 300)))
    from bot.wechat import nonces
    nonces.NonceCache.admit = lambda self, *a: None
    print(db, "edge without nonce     median %.0f µs" % statistics.median(measure(edge_app, sim, 300)))
    import bot.wechat.intake as it
    it.Intake.__call__ = lambda self, inbound, signed: self.process(inbound)
    print(db, "edge without intake    median %.0f µs" % statistics.median(measure(edge_app, sim, 300)))
