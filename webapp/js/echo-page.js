// The echo page: connect, send, and list what comes back.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const stateBadge = $('state');
  const notice = $('notice');
  let socket = null;

  function showState(state) {
    stateBadge.textContent = state;
    stateBadge.dataset.state = state;
    const connected = state === 'connected';
    $('send').disabled = !connected;
    $('connect').disabled = state !== 'closed';
    $('close').disabled = state === 'closed';
  }

  function addReceived(data) {
    const item = document.createElement('li');
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = new Date().toLocaleTimeString();
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = typeof data === 'string' ? data : '[' + data.byteLength + ' bytes of binary]';
    item.append(meta, text);
    $('received').prepend(item);
  }

  $('connect').addEventListener('click', () => {
    socket = Switchboard.connect('ws/echo');
    socket.addEventListener('statechange', (e) => showState(e.detail.state));
    socket.addEventListener('message', (e) => addReceived(e.detail.data));
    let lastClose = null;
    socket.addEventListener('close', (e) => {
      lastClose = e.detail.code + (e.detail.reason ? ': ' + e.detail.reason : '');
      notice.textContent = 'Connection closed (' + lastClose + ')'
        + (e.detail.willReconnect ? '; reconnecting in ' + (e.detail.delay / 1000).toFixed(1) + ' s' : '');
    });
    socket.addEventListener('open', () => {
      // Keep saying why the last connection ended: a quick reconnect would otherwise hide it.
      notice.textContent = lastClose ? 'Reconnected (the previous connection closed with ' + lastClose + ')' : '';
    });
    showState(socket.state);
  });

  $('close').addEventListener('click', () => {
    if (socket) socket.close();
  });

  $('send-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('message');
    if (socket && socket.send(input.value)) {
      input.value = '';
      input.focus();
    } else {
      notice.textContent = 'Not connected: message not sent.';
    }
  });
})();
