package dev.rampart.scan.jinja;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemplateCheckTest {
  @ParameterizedTest
  @ValueSource(strings = {
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''['\\x5f\\x5fclass\\x5f\\x5f'] }}",
    "{{ ''['\\u005f\\u005fclass\\u005f\\u005f'] }}",
    "{{ ''['\\137\\137class\\137\\137'] }}",
    "{{ lipsum|attr('__globals__') }}",
    "{% set u = '_'*2 %}{{ cycler[u ~ 'init' ~ u] }}",
    "{{ joiner[['_','_','init','_','_']|join] }}",
    "{{ x['{0}{0}globals{0}{0}'.format('_')] }}",
    "{{ x['%c%cglobals%c%c'|format(95,95,95,95)] }}",
    "{{ x['__GLOBALS__'|lower] }}",
    "{{ x['__slabolg__'|reverse] }}",
    "{{ x['__glo' 'bals__'] }}",
    "{% with a = '__', b = 'builtins' %}{{ x[a ~ b ~ a] }}{% endwith %}",
    "{{ namespace.__init__.__globals__.os.popen('id').read() }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__ }}",
    "{% for c in ''.__class__.__base__.__subclasses__() %}{% if c.__name__ == 'Popen' %}{{ c('id') }}{% endif %}{% endfor %}",
  })
  void sandboxEscapesAreFoundThroughObfuscation(String template) {
    var issues = TemplateCheck.check(template);
    assertThat(issues).as(template).isNotEmpty();
    assertThat(issues).anyMatch(i -> i.severity().atLeast(Severity.HIGH));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] }}{% endfor %}",
    "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'system' %}{{ m['content'] | trim }}{% endif %}{% endfor %}",
    "{% set ns = namespace(found=false) %}{% for m in messages %}{% set ns.found = true %}{% endfor %}",
    "{{ tools | tojson(indent=2) }}{{ raise_exception('bad role') if x else '' }}",
    "{%- if add_generation_prompt -%}{{ '<|assistant|>' }}{%- endif -%}",
    "plain text with no tags at all",
    "{{ messages[0]['content'][:100] }} {{ loop.index0 % 2 == 0 }} {{ message.content.strip() }}",
    "{% set ns = namespace(system='', os='linux') %}{% set ns.system = 'x' %}{{ ns.system ~ ns.os }}",
    "{% set roles = {'system': 'SYS'} %}{{ roles.system }}",
  })
  void realChatTemplatesAreClean(String template) {
    assertThat(TemplateCheck.check(template)).as(template).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{{ request.application.__globals__.__builtins__ }}",
    "{{ url_for.__globals__['os'] }}",
    "{{ get_flashed_messages.__globals__['os'] }}",
    "{{ config.__class__.__init__.__globals__['os'] }}",
  })
  void webApplicationObjectsThatReachInternalsAreCritical(String template) {
    assertThat(TemplateCheck.check(template)).anyMatch(i -> i.severity() == Severity.CRITICAL);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{{ config.items() }}",
    "{{ request.environ }}",
    "{{ self.blocks }}",
    "{{ cycler.mro }}",
    "{% set f = messages[0] %}{{ f['x']('id') }}",
    "{{ (lipsum|attr(messages[0].content))() }}",
    "{% set l = [] %}{% do l.append(messages[0].content) %}",
    "{{ (messages[0].content).format(lipsum) }}",
    "{{ ''[messages[0].content] }}",
  })
  void renderTimeNamesAndCallsAreHigh(String template) {
    assertThat(TemplateCheck.check(template)).as(template).anyMatch(i -> i.severity().atLeast(Severity.HIGH));
  }

  @Test
  void dataSubscriptsWithDataKeysAreEverydayUse() {
    // Hermes tool templates map JSON-schema types through a dict literal keyed by tool data
    String t = "{% set m = {'string': 'str', 'number': 'float'} %}{% for tool in tools %}"
        + "{{ m[tool.type] }}{{ tool.parameters.properties[tool.name] }}{% endfor %}";
    assertThat(TemplateCheck.check(t)).isEmpty();
  }

  @Test
  void limitsMakeTheTemplateIncompleteNotClean() {
    String huge = "{{ x }}".repeat(TemplateCheck.MAX_CHARS / 7 + 1) + "{{ lipsum.__globals__ }}";
    var r = TemplateCheck.analyse(huge);
    assertThat(r.incomplete()).hasValueSatisfying(why -> assertThat(why).contains("exceeds"));
    var late = TemplateCheck.analyse("{% for i in range(3) %}{{ i }}{% endfor %}", System.nanoTime() - 1);
    assertThat(late.incomplete()).hasValueSatisfying(why -> assertThat(why).contains("time limit"));
  }

  @Test
  void unparseableTemplatesStillReportTheInternalsTheySpell() {
    var r = TemplateCheck.analyse("{% for x in %}{{ '\\x5f\\x5fglobals\\x5f\\x5f' }}");
    assertThat(r.incomplete()).isPresent();
    assertThat(r.issues()).anyMatch(i -> i.severity() == Severity.CRITICAL);
  }

  @Test
  void templateLoadingIsReported() {
    assertThat(TemplateCheck.check("{% include '/etc/passwd' %}")).singleElement()
        .satisfies(i -> assertThat(i.severity()).isEqualTo(Severity.MEDIUM));
  }

  @Test
  void unparseableTagsFallBackToTokens() {
    assertThat(TemplateCheck.check("{{ x.__globals__ ) ( }}")).isNotEmpty();
  }

  @Test
  void deeplyNestedExpressionsAreRefusedNotOverflowed() {
    String deep = "{{ " + "(".repeat(5000) + "1" + ")".repeat(5000) + " }}";
    assertThat(TemplateCheck.analyse(deep).incomplete()).hasValueSatisfying(why -> assertThat(why).contains("nested"));
  }
}
