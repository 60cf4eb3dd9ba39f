// The clock page: shows the time the server pushes, and when the connection is down.
(function () {
  'use strict';
  const time = document.getElementById('time');
  const badge = document.getElementById('state');
  const notice = document.getElementById('notice');
  // Ticks arrive every second, so three quiet seconds already mean trouble.
  const socket = Switchboard.connect('ws/clock', { heartbeat: { interval: 3000, timeout: 3000, message: '{"type":"ping"}' } });

  socket.addEventListener('statechange', (e) => {
    badge.textContent = e.detail.state;
    badge.dataset.state = e.detail.state;
    time.classList.toggle('stale', e.detail.state !== 'connected');
  });
  socket.addEventListener('message', (e) => {
    try {
      const tick = JSON.parse(e.detail.data);
      if (typeof tick.time === 'string') {
        time.textContent = tick.time;
        time.classList.remove('stale');
      }
    } catch (err) {
      console.warn('Not a clock tick', e.detail.data);
    }
  });
  socket.addEventListener('close', (e) => {
    notice.textContent = 'Connection lost (' + e.detail.code + '); '
      + (e.detail.willReconnect ? 'reconnecting in ' + (e.detail.delay / 1000).toFixed(1) + ' s.' : 'not reconnecting.');
  });
  socket.addEventListener('open', () => {
    notice.textContent = 'Live: the server pushes its local time every second.';
  });
})();
