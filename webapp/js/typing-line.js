// The "… is typing" line under a conversation, shared by the chat, support and agent pages: it shows
// who typed for three seconds, or until that person's message arrives, whichever comes first; the
// same line may carry a note instead (a read receipt's "Seen").
(function () {
  'use strict';
  window.TypingLine = function (element) {
    let typist = null;
    let timer = null;

    function show(text) {
      typist = null;
      clearTimeout(timer);
      element.textContent = text;
    }

    return {
      /** Someone is typing. */
      typing: function (name) {
        show(name + ' is typing…');
        typist = name;
        timer = setTimeout(() => show(''), 3000);
      },
      /** A message from this person arrived: if they were the one typing, they are done. */
      messageFrom: function (name) {
        if (typist !== null && name === typist) show('');
      },
      /** A note in place of the typing line ('' to empty it). */
      show: show
    };
  };
})();
