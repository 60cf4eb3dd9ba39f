// The live page: bullet comments (danmaku) flying across a stage, for a live room.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const room = new URLSearchParams(location.search).get('room') || 'live-main';
  const lanes = 8;
  let lane = 0;
  let chat = null;

  function fly(text, mine) {
    const bullet = document.createElement('div');
    bullet.className = 'bullet' + (mine ? ' mine' : '');
    bullet.textContent = text;
    bullet.style.top = (lane++ % lanes) * (100 / lanes) + '%';
    bullet.addEventListener('animationend', () => bullet.remove());
    $('stage').append(bullet);
  }

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = $('username').value.trim();
    const button = $('login-form').querySelector('button');
    button.disabled = true;
    Switchboard.requestToken(name).then((issued) => watch(issued, name)).catch((err) => {
      $('notice').textContent = err.message;
    }).finally(() => { button.disabled = false; });
  });

  function watch(issued, name) {
    if (chat) return;
    $('login-form').hidden = true;
    $('comment-form').hidden = false;
    chat = Switchboard.chat({ token: issued.token, expiresAt: issued.expiresAt, rooms: [room],
      getToken: () => Switchboard.requestToken(name) });
    window.switchboardChat = chat;
    chat.addEventListener('statechange', (ev) => {
      $('state').textContent = ev.detail.state;
      $('state').dataset.state = ev.detail.state;
    });
    chat.addEventListener('message', (ev) => {
      // On joining, the room's recent comments fly by first, then the live ones.
      fly(ev.detail.from + ': ' + ev.detail.text, ev.detail.from === chat.user);
    });
    chat.addEventListener('error', (ev) => {
      $('notice').textContent = ev.detail.code === 'rate_limited'
        ? 'Easy there: live rooms take a few comments a second.' : ev.detail.message;
    });
    $('comment').focus();
  }

  $('comment-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('comment').value.trim();
    if (!text || !chat) return;
    chat.say(room, text);
    $('comment').value = '';
  });
})();
