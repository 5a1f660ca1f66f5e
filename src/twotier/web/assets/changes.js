/* twotier dashboard: apply a view update sent as changes (twotier.web.patch).

   A view update that differs from the view on the page in a few parts (a threshold
   step: the cards, three charts, some table cells) comes as the props to set, by
   component id, instead of the whole view: {id: {prop: value or Dash Patch}}. Each is
   set with Dash's own set_props, so only those components render again; the others,
   and their charts, stay as they are. */
(function () {
  "use strict";

  function apply(changes) {
    if (!changes) return;
    var setProps = window.dash_clientside.set_props;
    Object.keys(changes).forEach(function (id) {
      setProps(id, changes[id]);
    });
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.twotier_view = {apply: apply};
})();
