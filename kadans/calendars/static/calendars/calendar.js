// Kadans calendar page: FullCalendar with Kadans' events, drag and resize to reschedule, and a click on a
// free time to plan an action there. The server decides what may move; a refusal puts the event back.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("calendar-config").textContent);
  var message = document.getElementById("calendar-message");
  var csrf = (document.body.getAttribute("hx-headers") || "").match(/"X-CSRFToken":\s*"([^"]+)"/);
  csrf = csrf ? csrf[1] : "";

  function show(text, kind) {
    message.textContent = text;
    message.className = "message " + kind;
    message.hidden = false;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  // FullCalendar hands out dates in the calendar's time zone as UTC-coerced Date objects when that zone is
  // a named one: read them with the UTC getters to get the wall-clock values.
  function day(d) { return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()); }
  function time(d) { return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()); }
  function stamp(d) { return day(d) + "T" + time(d) + ":00"; }

  function save(info) {
    var event = info.event, body = new FormData();
    body.append("all_day", event.allDay ? "1" : "0");
    body.append("start", event.allDay ? day(event.start) : stamp(event.start));
    if (event.end) body.append("end", event.allDay ? day(event.end) : stamp(event.end));
    fetch(config.moveUrl.replace("/0/", "/" + event.id + "/"), {
      method: "POST", body: body, headers: {"X-CSRFToken": csrf}, credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) throw new Error(data.error || config.texts.failed);
        show(data.message, "success");
      });
    }).catch(function (error) {
      info.revert();  // snap back
      show(error.message || config.texts.failed, "error");
    });
  }

  var calendarEl = document.getElementById("calendar");
  var calendar = new FullCalendar.Calendar(calendarEl, {
    timeZone: config.timeZone,
    locale: config.locale,
    firstDay: 1,
    initialView: config.initialView,
    initialDate: config.initialDate || undefined,
    headerToolbar: {left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,timeGridDay,listWeek"},
    height: "auto",
    nowIndicator: true,
    scrollTime: "08:00:00",
    slotMinTime: "06:00:00",
    slotMaxTime: "22:00:00",
    editable: true,
    eventStartEditable: true,
    eventDurationEditable: true,
    selectable: true,
    selectMirror: true,
    events: {url: config.eventsUrl, extraParams: config.params},
    eventDrop: save,
    eventResize: save,
    select: function (info) {
      var params = new URLSearchParams({start: day(info.start), next: config.returnUrl});
      if (info.allDay) {
        params.set("all_day", "1");
        var last = new Date(info.end.getTime() - 86400000);
        if (day(last) !== day(info.start)) params.set("end", day(last));
      } else {
        params.set("all_day", "0");
        params.set("time", time(info.start));
        params.set("end_time", time(info.end));
      }
      window.location.href = config.newUrl + "?" + params.toString();
    },
    eventDidMount: function (info) {
      info.el.setAttribute("data-activity", info.event.id);
      info.el.title = info.event.title;
    }
  });
  calendar.render();
  window.kadansCalendar = calendar;
})();
